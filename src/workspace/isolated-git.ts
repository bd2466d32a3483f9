import { lstatSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readAgentFile } from "./agent-file.js";
import { type GitResult, git, writeGitDir } from "./git.js";

/**
 * Given on every command line, so they hold whatever a configuration file says: no fsmonitor, hooks, attributes or
 * excludes from outside the working tree, no untracked cache or split index, no pager, no transport.
 * `safe.directory=*`: the working tree may belong to the sandbox's unprivileged user while the host runs as root.
 */
const LOCKED_SETTINGS = [
  "core.fsmonitor=false",
  "core.hooksPath=/dev/null",
  "core.attributesFile=/dev/null",
  "core.excludesFile=/dev/null",
  "core.untrackedCache=false",
  "core.splitIndex=false",
  "core.pager=cat",
  "protocol.allow=never",
  "safe.directory=*",
].flatMap((setting) => ["-c", setting]);

/** The most of the agent's `.git/info/exclude` we take (it is patterns; real ones are a few lines). */
const EXCLUDE_MAX_BYTES = 256 * 1024;

export interface IsolatedGitOptions {
  /** The working tree the agent changed. */
  workTree: string;
  /** A host-only folder for our repository (replaced if it exists). */
  gitDir: string;
  /** An object store the host trusts that holds `head` (the cached mirror's); borrowed, never written. */
  objectsDir: string;
  /** The commit HEAD names. */
  head: string;
  /** Untracked paths git must leave out whatever the agent did to its excludes (what the workspace's setup made). */
  ignored?: readonly string[];
}

/**
 * Git on the host over a working tree an agent has worked in, that reads nothing the agent wrote but the working
 * tree's files (with their `.gitignore` and `.gitattributes`, as any checkout of the candidate would). The
 * repository is our own, in host-only state: HEAD at the base, our configuration, our index, objects borrowed
 * from the mirror. The checkout's `.git` (its config, hooks, index, objects, alternates, commondir, or a `.git`
 * file pointing elsewhere) is never opened, except its `info/exclude` patterns, read as an untrusted file.
 * Filters and diff drivers named in `.gitattributes` need configuration we never write, so none can run; the
 * caller passes `--no-ext-diff --no-textconv` to diffs all the same.
 */
export class IsolatedGit {
  private readonly env: Record<string, string>;

  private constructor(
    private readonly options: IsolatedGitOptions,
    private readonly excludes: string,
  ) {
    const home = join(options.gitDir, "home");
    this.env = {
      GIT_DIR: options.gitDir,
      GIT_WORK_TREE: options.workTree,
      // No user or system files: an empty home, no system attributes, no replacement objects.
      HOME: home,
      XDG_CONFIG_HOME: home,
      GIT_ATTR_NOSYSTEM: "1",
      GIT_NO_REPLACE_OBJECTS: "1",
    };
  }

  static create(options: IsolatedGitOptions): IsolatedGit {
    const { gitDir } = options;
    rmSync(gitDir, { recursive: true, force: true });
    writeGitDir(gitDir, options);
    mkdirSync(join(gitDir, "home"));
    const excludes = agentExcludes(options.workTree);
    writeFileSync(join(gitDir, "info", "exclude"), `${excludes}\n${ignorePatterns(options.ignored ?? [])}`);
    return new IsolatedGit(options, excludes);
  }

  /** Runs git in the working tree (with `input` on its standard input). */
  run(args: readonly string[], input?: string): Promise<GitResult> {
    return git([...LOCKED_SETTINGS, ...args], {
      cwd: this.options.workTree,
      env: this.env,
      ...(input === undefined ? {} : { input }),
    });
  }

  /** From now on, leaves out only what the working tree's and the agent's ignore rules do, not `ignored`. */
  stopIgnoring(): void {
    writeFileSync(join(this.options.gitDir, "info", "exclude"), `${this.excludes}\n`);
  }

  dispose(): void {
    rmSync(this.options.gitDir, { recursive: true, force: true });
  }
}

/** A host checkout that sandboxes work in (a `Workspace` is one). */
export interface HostCheckout {
  /** The working tree. */
  testbed: string;
  /** Host-only state, where our repository is kept while git runs. */
  state: string;
  /** The base commit, and the object store the host knows it from. */
  commit: string;
  mirror: { objectsDir: string };
}

/**
 * Git from the host over a checkout's working tree (`git apply` of a patch on `input`), with a repository of our own
 * rather than the checkout's: git in the checkout would read its `.git`, where a setup's commands or an agent can
 * have put a filter (in its config) and attributes naming it, and `git apply` runs filters on the files it reads and
 * writes. Throws `GitError` when git fails.
 */
export async function gitOverCheckout(
  checkout: HostCheckout,
  args: readonly string[],
  input?: string,
): Promise<GitResult> {
  const repo = IsolatedGit.create({
    workTree: checkout.testbed,
    gitDir: join(checkout.state, "host-git"),
    objectsDir: checkout.mirror.objectsDir,
    head: checkout.commit,
  });
  try {
    return await repo.run(args, input);
  } finally {
    repo.dispose();
  }
}

/**
 * The patterns of the checkout's `.git/info/exclude` (files the agent asked git to ignore, as `git add -A` in the
 * checkout would), read only through real folders (`.git` or `info` as a link could point anywhere on the host).
 */
function agentExcludes(workTree: string): string {
  const gitDir = join(workTree, ".git");
  for (const dir of [gitDir, join(gitDir, "info")]) {
    try {
      if (!lstatSync(dir).isDirectory()) return "";
    } catch {
      return "";
    }
  }
  const file = readAgentFile(join(gitDir, "info", "exclude"), EXCLUDE_MAX_BYTES);
  return file.kind === "file" ? withoutSetupExcludes(file.text) : "";
}

/** The patterns without the block the host wrote for the setup's products (see `setupExcludes`). */
function withoutSetupExcludes(text: string): string {
  const begin = text.indexOf(`${SETUP_EXCLUDES_BEGIN}\n`);
  const end = text.indexOf(`${SETUP_EXCLUDES_END}\n`, begin);
  if (begin === -1 || end === -1) return text;
  return text.slice(0, begin) + text.slice(end + SETUP_EXCLUDES_END.length + 1);
}

const SETUP_EXCLUDES_BEGIN = "# >>> swe-review: made by the workspace's setup, not by the agent";
const SETUP_EXCLUDES_END = "# <<< swe-review";

/** The checkout's `.git/info/exclude` after its setup: the setup's products, in a block marked as ours. */
export function setupExcludes(paths: readonly string[]): string {
  return `${SETUP_EXCLUDES_BEGIN}\n${ignorePatterns(paths)}${SETUP_EXCLUDES_END}\n`;
}

/**
 * Exclude patterns that match exactly these paths from the top of the working tree. The paths come from a setup's
 * `git status` and may be named anything: a newline (which would end the line and start a pattern of the namer's
 * choice: `x\nsrc` hid every new file in any folder named `src`) or a carriage return (which git drops at a line's
 * end) matches as `?`, any one character; a trailing space, which git drops too, is escaped.
 */
export function ignorePatterns(paths: readonly string[]): string {
  return paths
    .map((path) => {
      const escaped = path
        .replace(/([\\*?[\]!#])/g, "\\$1")
        .replace(/[\n\r]/g, "?")
        .replace(/ $/, "\\ ");
      return `/${escaped}\n`;
    })
    .join("");
}
