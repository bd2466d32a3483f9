import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { TempRepo } from "../../test/helpers/git-repo.js";
import { skipTitle, unless } from "../../test/helpers/skip.js";
import { GIT_ENV } from "../workspace/git.js";
import { setupExcludes } from "../workspace/isolated-git.js";
import { RepoCache } from "../workspace/repo-cache.js";
import { resolveRepoSource } from "../workspace/repo-source.js";
import { Workspace } from "../workspace/workspace.js";
import { extractCandidateDiff } from "./candidate-diff.js";

const BINARY = Buffer.from([0, 1, 2, 3, 0, 255, 254, 0, 10, 0]);

/** A repository with text, binary, executable and ignored files, and a workspace at its base. */
async function workspaceOf(
  files: Record<string, string | Buffer>,
): Promise<{ ws: Workspace; repo: TempRepo }> {
  const repo = new TempRepo();
  for (const [path, content] of Object.entries(files)) {
    const full = join(repo.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  const base = repo.commit("base");
  repo.commit("later", { "later.py": "FUTURE = 1\n" });
  const root = mkdtempSync(join(tmpdir(), "swe-review-candidate-"));
  const ws = await Workspace.create({
    source: resolveRepoSource(repo.dir),
    base,
    cache: new RepoCache(join(root, "cache")),
    root: join(root, "ws"),
  });
  return { ws, repo };
}

function write(ws: Workspace, path: string, content: string | Buffer): void {
  const full = join(ws.testbed, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** Git as an agent runs it in its own checkout. */
function agentGit(ws: Workspace, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: ws.testbed,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", ...GIT_ENV },
  });
}

/** Candidate extraction as it was before: `git add -A` in the agent's own checkout, then the two diffs. */
function extractInAgentRepository(ws: Workspace): { patch: string; skippedBinary: string[] } {
  agentGit(ws, "add", "-A");
  const numstat = agentGit(ws, "diff", "--cached", "--numstat", "-z", ws.commit);
  const skippedBinary = numstat
    .split("\0")
    .map((record) => /^-\t-\t(.+)$/.exec(record)?.[1])
    .filter((path): path is string => path !== undefined);
  const exclude = skippedBinary.map((path) => `:(exclude,literal)${path}`);
  const patch = agentGit(
    ws,
    "diff",
    "--cached",
    "--no-color",
    "--no-ext-diff",
    ws.commit,
    "--",
    ".",
    ...exclude,
  );
  return { patch, skippedBinary };
}

describe("extractCandidateDiff", () => {
  it("gives exactly what `git add -A` and `git diff --cached` in the checkout give, for every kind of change", async () => {
    const { ws } = await workspaceOf({
      "app/main.py": "def main():\n    return 1\n",
      "app/util.py": "def util():\n    return 2\n",
      "app/moved.py": `${"# a file long enough to be detected as renamed\n".repeat(20)}`,
      "app/gone.py": "GONE = True\n",
      "scripts/run.sh": "#!/bin/sh\necho run\n",
      "assets/logo.bin": BINARY,
      "docs/crlf.txt": "one\r\ntwo\r\n",
      "no-newline.txt": "last line",
      ".gitignore": "build/\n*.log\n",
      "pkg/.gitignore": "local.cfg\n",
    });
    // An honest agent's work: edits, new files (in new folders, with odd names), a deletion, a rename, a mode
    // change, binary files, a symbolic link, files .gitignore and .git/info/exclude ignore; and git commands of
    // its own (a staged file, a commit), which the diff against the base includes.
    write(ws, "app/main.py", "def main():\n    return 42\n");
    write(ws, "app/new_module.py", "NEW = 1\n");
    write(ws, "tests/deep/test_new.py", "def test_new():\n    assert True\n");
    write(ws, "name with spaces.py", "x = 1\n");
    write(ws, "ünïcödé.py", "y = 2\n");
    write(ws, "empty.txt", "");
    rmSync(join(ws.testbed, "app/gone.py"));
    renameSync(join(ws.testbed, "app/moved.py"), join(ws.testbed, "app/renamed.py"));
    chmodSync(join(ws.testbed, "scripts/run.sh"), 0o755);
    write(ws, "assets/logo.bin", Buffer.concat([BINARY, BINARY]));
    write(ws, "assets/new.bin", BINARY);
    symlinkSync("app/main.py", join(ws.testbed, "main-link.py"));
    write(ws, "docs/crlf.txt", "one\r\ntwo\r\nthree\r\n");
    write(ws, "no-newline.txt", "last line, changed");
    write(ws, "build/output.o", BINARY);
    write(ws, "debug.log", "log\n");
    write(ws, "pkg/local.cfg", "secret=1\n");
    write(ws, "scratch/notes.md", "agent notes\n");
    writeFileSync(join(ws.testbed, ".git/info/exclude"), "scratch/\n");
    agentGit(ws, "add", "app/util.py");
    write(ws, "app/util.py", "def util():\n    return 3\n");
    agentGit(ws, "add", "app/util.py");
    agentGit(ws, "-c", "user.name=a", "-c", "user.email=a@a", "commit", "--quiet", "-m", "agent commit");

    const extracted = await extractCandidateDiff(ws);
    const before = extractInAgentRepository(ws);
    expect(extracted).toEqual(before);
    // and it is what an honest agent did
    expect(extracted.skippedBinary.sort()).toEqual(["assets/logo.bin", "assets/new.bin"]);
    for (const text of [
      "rename from app/moved.py",
      "deleted file mode 100644",
      "old mode 100644\nnew mode 100755",
      "new file mode 120000",
      "+    return 42",
      "+    return 3",
      "diff --git a/tests/deep/test_new.py",
    ]) {
      expect(extracted.patch).toContain(text);
    }
    for (const ignored of ["build/output.o", "debug.log", "local.cfg", "scratch/notes.md", "later.py"]) {
      expect(extracted.patch).not.toContain(ignored);
    }
    // the host's repository is gone afterwards
    expect(existsSync(join(ws.state, "candidate-git"))).toBe(false);
    await ws.dispose();
  });

  const notRoot = unless(
    process.getuid?.() === 0,
    "needs root (to hand the working tree to an unprivileged user)",
  );
  it.skipIf(notRoot)(
    skipTitle(
      "works on a working tree the sandbox's unprivileged user owns, where git in the checkout refuses",
      notRoot,
    ),
    async () => {
      const { ws } = await workspaceOf({ "a.py": "a = 1\n" });
      write(ws, "a.py", "a = 2\n");
      execFileSync("chown", ["-R", "65534:65534", ws.testbed]);
      expect(() => agentGit(ws, "status")).toThrow(/dubious ownership/);
      expect((await extractCandidateDiff(ws)).patch).toContain("+a = 2");
      await ws.dispose();
    },
  );

  it("is empty for an agent that changed nothing", async () => {
    const { ws } = await workspaceOf({ "a.py": "a = 1\n" });
    expect(await extractCandidateDiff(ws)).toEqual({ patch: "", skippedBinary: [] });
    await ws.dispose();
  });
});

describe("extractCandidateDiff against a hostile checkout", () => {
  it("runs nothing from a nested repository's config or hooks, and follows no .git file to a host repository", async () => {
    const { ws } = await workspaceOf({ "a.py": "a = 1\n" });
    const marker = join(ws.dir, "..", "ran-on-host");
    const host = new TempRepo();
    host.commit("host work", { "host.py": "HOST = 1\n" });
    // a nested repository with a hostile config and hook, and a folder whose .git file points at a host repo
    mkdirSync(join(ws.testbed, "nested"));
    const nested = new TempRepo(join(ws.testbed, "nested"));
    nested.commit("nested", { "x.py": "x = 1\n" });
    writeFileSync(
      join(ws.testbed, "nested/.git/config"),
      `[core]\n\trepositoryformatversion = 0\n\tfsmonitor = "touch ${marker}; false"\n`,
    );
    writeFileSync(join(ws.testbed, "nested/.git/hooks/post-index-change"), `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(join(ws.testbed, "nested/.git/hooks/post-index-change"), 0o755);
    mkdirSync(join(ws.testbed, "pointer"));
    writeFileSync(join(ws.testbed, "pointer/.git"), `gitdir: ${host.dir}/.git\n`);
    writeFileSync(join(ws.testbed, "pointer/p.py"), "p = 1\n");
    write(ws, "a.py", "a = 2\n");
    const hostIndex = host.git("ls-files", "--stage");

    const { patch } = await extractCandidateDiff(ws);
    expect(existsSync(marker)).toBe(false);
    expect(patch).toContain("+a = 2");
    expect(host.git("ls-files", "--stage")).toBe(hostIndex);
    expect(host.git("status", "--porcelain")).toBe("");
    await ws.dispose();
  });

  it("reads .git/info/exclude only as a plain file in real folders, and skips FIFOs without waiting", async () => {
    const { ws } = await workspaceOf({ "a.py": "a = 1\n" });
    // `.git/info` as a link to a host folder whose `exclude` would hide the agent's change
    const elsewhere = mkdtempSync(join(tmpdir(), "swe-review-elsewhere-"));
    writeFileSync(join(elsewhere, "exclude"), "*.py\n");
    rmSync(join(ws.testbed, ".git/info"), { recursive: true, force: true });
    symlinkSync(elsewhere, join(ws.testbed, ".git/info"));
    write(ws, "b.py", "b = 1\n");
    execFileSync("mkfifo", [join(ws.testbed, "pipe")]);
    const { patch } = await extractCandidateDiff(ws);
    expect(patch).toContain("diff --git a/b.py b/b.py");
    expect(patch).not.toContain("pipe");
    await ws.dispose();
  });
});

describe("extractCandidateDiff and what the workspace's setup made", () => {
  it("leaves out exactly the setup's paths, whatever their names (a newline, a trailing space, a carriage return)", async () => {
    const { ws } = await workspaceOf({ "src/a.py": "a = 1\n" });
    // A setup's git status names these; as exclude lines, `x\nsrc` would have been `/x` and `src` (every new file
    // in any folder named src), `deps ` would have been `/deps`, and `cache\r` would have been `/cache`.
    const made = ["x\nsrc", "deps ", "cache\r", "b\n"];
    write(ws, "x\nsrc", "setup\n");
    write(ws, "b\n", "setup\n");
    write(ws, "deps /lib.js", "setup\n");
    write(ws, "cache\r", "setup\n");
    const doneAtMs = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    write(ws, "src/new.py", "new = True\n");
    write(ws, "deps/new.py", "new = True\n");
    write(ws, "cache", "agent\n");
    // `b\n` can only be left out as `/b?`, which names this file too: it is the agent's all the same.
    write(ws, "bc", "agent\n");
    const { patch } = await extractCandidateDiff(ws, { created: made, doneAtMs });
    expect(patch).toContain("diff --git a/src/new.py b/src/new.py");
    expect(patch).toContain("diff --git a/bc b/bc");
    expect(patch).toContain("diff --git a/deps/new.py b/deps/new.py");
    expect(patch).toContain("diff --git a/cache b/cache");
    expect(patch).not.toContain("setup");
    await ws.dispose();
  });

  it("takes what the agent made or changed in a folder the setup made, and leaves out what the setup left as it was", async () => {
    const { ws } = await workspaceOf({ "src/a.py": "a = 1\n", ".gitignore": "node_modules/\n" });
    const created = ["pkg", "node_modules", "tool.cfg"];
    write(ws, "pkg/gen.py", "generated = 1\n");
    write(ws, "pkg/sub/data.txt", "setup\n");
    write(ws, "node_modules/x/index.js", "setup\n");
    write(ws, "tool.cfg", "setup\n");
    write(ws, "pkg/dated.py", "setup\n");
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    utimesSync(join(ws.testbed, "pkg/dated.py"), tomorrow, tomorrow);
    // As the setup leaves the checkout's own exclude file: its products, which the agent's git leaves out.
    writeFileSync(join(ws.testbed, ".git/info/exclude"), setupExcludes(created));
    const doneAtMs = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    write(ws, "pkg/fix.py", "fixed = True\n");
    write(ws, "pkg/gen.py", "generated = 2\n");
    write(ws, "node_modules/x/new.js", "ignored by the repository's .gitignore\n");
    write(ws, "src/b.py", "b = 1\n");
    execFileSync("mkfifo", [join(ws.testbed, "pkg/pipe")]);
    symlinkSync("/etc/passwd", join(ws.testbed, "pkg/link"));
    const { patch } = await extractCandidateDiff(ws, { created, doneAtMs });
    expect(patch).toContain("diff --git a/pkg/link b/pkg/link\nnew file mode 120000");
    expect(patch).not.toContain("pipe");
    expect(patch).not.toContain("root:");
    expect(patch).toContain("diff --git a/pkg/fix.py b/pkg/fix.py");
    expect(patch).toContain("diff --git a/pkg/gen.py b/pkg/gen.py");
    expect(patch).toContain("diff --git a/src/b.py b/src/b.py");
    expect(patch).not.toContain("setup");
    expect(patch).not.toContain("node_modules");
    await ws.dispose();
  });
});
