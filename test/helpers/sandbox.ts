import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RepoCache } from "../../src/workspace/repo-cache.js";
import { resolveRepoSource } from "../../src/workspace/repo-source.js";
import { type OpenSandbox, type OpenSandboxOptions, openSandbox } from "../../src/workspace/sandbox/open.js";
import { Workspace } from "../../src/workspace/workspace.js";
import { TempRepo } from "./git-repo.js";
import { type SkipReason, unless } from "./skip.js";

/** bubblewrap is installed (CI installs it; tests of the isolation itself need it). */
export const HAS_BWRAP = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"].some((path) =>
  existsSync(path),
);

/** Why tests of the bwrap sandbox skip here (undefined when bubblewrap is installed). */
export const NO_BWRAP: SkipReason = unless(
  HAS_BWRAP,
  "bubblewrap is not installed (apt-get install bubblewrap)",
);

/** Processes on this machine whose command line contains `text` (sandboxed ones included), as `pid: cmdline`. */
export function hostProcessesMatching(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone
    }
  }
  return found;
}

export interface TestSandbox extends OpenSandbox {
  repo: TempRepo;
  workspace: Workspace;
  root: string;
  dispose(): Promise<void>;
}

/** A small real repository, a workspace at its first commit, and a running sandbox over it. */
export async function openTestSandbox(
  options: OpenSandboxOptions & { files?: Record<string, string>; reviewData?: boolean } = {},
): Promise<TestSandbox> {
  const repo = new TempRepo();
  const base = repo.commit(
    "base",
    options.files ?? { "app.py": "def add(a, b):\n    return a - b\n", "README.md": "demo\n" },
  );
  const root = mkdtempSync(join(tmpdir(), "swe-review-sbx-"));
  const workspace = await Workspace.create({
    source: resolveRepoSource(repo.dir),
    base,
    cache: new RepoCache(join(root, "cache")),
    root: join(root, "workspaces"),
    ...(options.reviewData === false
      ? {}
      : {
          reviewData: {
            instanceId: "demo-1",
            repo: "demo/app",
            problemStatement: "add() subtracts",
            patch: "",
          },
        }),
  });
  const open = await openSandbox(workspace, options);
  return {
    ...open,
    repo,
    workspace,
    root,
    dispose: async () => {
      await open.close();
      await workspace.dispose();
    },
  };
}
