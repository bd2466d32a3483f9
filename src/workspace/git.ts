import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SweReviewError } from "../common/errors.js";

export interface GitResult {
  stdout: string;
  stderr: string;
}

/** A git command that failed: the command, its exit code and what git said. */
/** A repository's `config` as `git init` writes it, without automatic gc: nothing in it can run a program. */
export const GIT_INIT_CONFIG = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = false
\tlogallrefupdates = false
[gc]
\tauto = 0
`;

/**
 * Writes a repository's git folder by hand, as `git init` would but without hooks or samples (a few file writes
 * instead of a spawn per setting): HEAD detached at `head`, the objects borrowed from `objectsDir` (git
 * alternates), no ref, and `config`.
 */
export function writeGitDir(
  gitDir: string,
  options: { head: string; objectsDir: string; config?: string },
): void {
  for (const sub of ["objects/info", "objects/pack", "refs/heads", "refs/tags", "info"]) {
    mkdirSync(join(gitDir, sub), { recursive: true });
  }
  writeFileSync(join(gitDir, "HEAD"), `${options.head}\n`);
  writeFileSync(join(gitDir, "config"), options.config ?? GIT_INIT_CONFIG);
  writeFileSync(join(gitDir, "objects", "info", "alternates"), `${options.objectsDir}\n`);
}

export class GitError extends SweReviewError {
  constructor(
    readonly args: readonly string[],
    readonly gitExitCode: number | null,
    readonly stderr: string,
  ) {
    super(
      "git_failed",
      `git ${args.join(" ")} failed (exit ${gitExitCode}): ${stderr.trim().split("\n").slice(-3).join(" ")}`,
    );
  }
}

/** Git with no user or system configuration, prompts or pagers, so results do not depend on the machine. */
export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  GIT_PAGER: "cat",
  GIT_ASKPASS: "true",
  LC_ALL: "C",
};

/**
 * Runs git and returns its output; throws `GitError` on a non-zero exit. `env` adds to (or overrides) the fixed
 * environment above; nothing else of this process's environment reaches git.
 */
export function git(
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/",
        ...GIT_ENV,
        ...options.env,
      },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) =>
      reject(
        new SweReviewError(
          "git_missing",
          `Cannot run git: ${error.message}. Install git (Debian: apt-get install git).`,
        ),
      ),
    );
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (code === 0) resolve({ stdout, stderr });
      else reject(new GitError(args, code, stderr));
    });
    if (child.stdin) {
      child.stdin.on("error", () => {}); // git may exit before reading all of its input; its exit code tells
      child.stdin.end(options.input);
    }
  });
}

/** True when git succeeds (for probes such as `cat-file -e`). */
export async function gitSucceeds(args: readonly string[], options: { cwd?: string } = {}): Promise<boolean> {
  try {
    await git(args, options);
    return true;
  } catch (error) {
    if (error instanceof GitError) return false;
    throw error;
  }
}
