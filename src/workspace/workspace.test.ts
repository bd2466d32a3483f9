import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TempRepo } from "../../test/helpers/git-repo.js";
import { RepoCache } from "./repo-cache.js";
import { parseRepoOverrides, resolveRepoSource } from "./repo-source.js";
import { Workspace } from "./workspace.js";

function setup() {
  const repo = new TempRepo();
  const c1 = repo.commit("first", { "src/app.py": "print(1)\n", "README.md": "v1\n" });
  const c2 = repo.commit("second", { "src/app.py": "print(2)\n" });
  const c3 = repo.commit("the real fix", { "src/app.py": "print(3)\n", "src/fix.py": "FIXED = True\n" });
  repo.git("tag", "v3");
  repo.git("checkout", "--quiet", "-b", "feature");
  const c4 = repo.commit("future feature", { "feature.py": "x = 1\n" });
  repo.git("checkout", "--quiet", "main");
  // the user's uncommitted work must survive untouched
  repo.write({ "src/app.py": "print('work in progress')\n", "notes.txt": "untracked\n" });
  const root = mkdtempSync(join(tmpdir(), "swe-review-ws-"));
  const cache = new RepoCache(join(root, "cache"));
  return { repo, c1, c2, c3, c4, root, cache };
}

function gitIn(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: dir },
  });
}

describe("Workspace", () => {
  it("checks out the base commit without touching the user's repository or working tree", async () => {
    const { repo, c2, root, cache } = setup();
    const statusBefore = repo.git("status", "--porcelain");
    const headBefore = repo.git("rev-parse", "HEAD");
    const refsBefore = repo.git("for-each-ref");
    const ws = await Workspace.create({
      source: resolveRepoSource(repo.dir),
      base: c2,
      cache,
      root: join(root, "ws"),
    });
    expect(ws.commit).toBe(c2);
    expect(readFileSync(join(ws.testbed, "src/app.py"), "utf8")).toBe("print(2)\n");
    expect(existsSync(join(ws.testbed, "src/fix.py"))).toBe(false);
    expect(gitIn(ws.testbed, "rev-parse", "HEAD").trim()).toBe(c2);
    expect(gitIn(ws.testbed, "status", "--porcelain")).toBe("");
    // the agent can change the checkout; the user's repository does not notice
    writeFileSync(join(ws.testbed, "src/app.py"), "print('agent')\n");
    expect(repo.git("status", "--porcelain")).toBe(statusBefore);
    expect(repo.git("rev-parse", "HEAD")).toBe(headBefore);
    expect(repo.git("for-each-ref")).toBe(refsBefore);
    expect(readFileSync(join(repo.dir, "src/app.py"), "utf8")).toBe("print('work in progress')\n");
    await ws.dispose();
    expect(existsSync(ws.dir)).toBe(false);
  });

  it("makes later commits unreachable: no refs, remotes, tags or reflog; history up to base remains", async () => {
    const { repo, c1, c2, c3, c4, root, cache } = setup();
    const ws = await Workspace.create({
      source: resolveRepoSource(repo.dir),
      base: c2,
      cache,
      root: join(root, "ws"),
    });
    const all = gitIn(ws.testbed, "log", "--all", "--format=%H");
    expect(all.trim().split("\n")).toEqual([c2, c1]);
    expect(gitIn(ws.testbed, "for-each-ref")).toBe("");
    expect(gitIn(ws.testbed, "remote")).toBe("");
    expect(gitIn(ws.testbed, "tag")).toBe("");
    expect(gitIn(ws.testbed, "reflog", "--all")).toBe("");
    expect(gitIn(ws.testbed, "branch", "-a", "--contains", c1)).not.toMatch(/main|feature/);
    expect(gitIn(ws.testbed, "log", "--all", "--oneline")).not.toMatch(/real fix|future feature/);
    for (const future of [c3, c4])
      expect(gitIn(ws.testbed, "branch", "-a")).not.toContain(future.slice(0, 7));
    await ws.dispose();
  });

  it("resolves branches, tags and relative revisions against the user's clone as it is now", async () => {
    const { repo, c2, c3, root, cache } = setup();
    const first = await Workspace.create({ source: resolveRepoSource(repo.dir), base: "v3", cache, root });
    expect(first.commit).toBe(c3);
    const relative = await Workspace.create({
      source: resolveRepoSource(repo.dir),
      base: "main~1",
      cache,
      root,
    });
    expect(relative.commit).toBe(c2);
    // a commit made after the mirror was created is fetched on demand
    const c5 = repo.commit("later", { "later.txt": "1\n" });
    const later = await Workspace.create({ source: resolveRepoSource(repo.dir), base: c5, cache, root });
    expect(later.commit).toBe(c5);
    expect(readFileSync(join(later.testbed, "later.txt"), "utf8")).toBe("1\n");
    expect(cache.list()).toHaveLength(1);
    for (const ws of [first, relative, later]) await ws.dispose();
  });

  it("writes SWE-Review's review data files", async () => {
    const { repo, c2, root, cache } = setup();
    const ws = await Workspace.create({
      source: resolveRepoSource(repo.dir),
      base: c2,
      cache,
      root,
      reviewData: {
        instanceId: "demo__app-1",
        repo: "demo/app",
        problemStatement: "It prints 2.",
        patch: "diff --git a/x b/x\n",
      },
    });
    expect(readFileSync(join(ws.reviewData, "problem_statement.txt"), "utf8")).toBe("It prints 2.");
    expect(JSON.parse(readFileSync(join(ws.reviewData, "predicted.json"), "utf8"))).toEqual({
      patch: "diff --git a/x b/x\n",
      pr_title: "N/A",
      pr_body: "N/A",
      source: "ai_generated",
    });
    const summary = JSON.parse(readFileSync(join(ws.reviewData, "summary.json"), "utf8"));
    expect(summary.instance_id).toBe("demo__app-1");
    expect(summary.files["predicted.json"].key_fields).toEqual(["patch", "pr_title", "pr_body"]);
    await ws.dispose();
  });

  it("gives clear errors for a missing revision, a folder that is not git, and a bad --repo", async () => {
    const { repo, root, cache } = setup();
    await expect(
      Workspace.create({ source: resolveRepoSource(repo.dir), base: "no-such-branch", cache, root }),
    ).rejects.toThrow(/Revision 'no-such-branch' does not exist/);
    const plain = mkdtempSync(join(tmpdir(), "swe-review-plain-"));
    await expect(
      Workspace.create({ source: resolveRepoSource(plain), base: "HEAD", cache, root }),
    ).rejects.toThrow(/is not a git repository/);
    expect(() => parseRepoOverrides(["sympy"])).toThrow(/expected owner\/name=\/path\/to\/clone/);
    expect(resolveRepoSource("sympy/sympy", parseRepoOverrides([`sympy/sympy=${repo.dir}`]))).toEqual({
      kind: "path",
      path: repo.dir,
    });
    expect(resolveRepoSource("sympy/sympy")).toEqual({
      kind: "url",
      url: "https://github.com/sympy/sympy.git",
    });
    // The same form where one repository is given (review, sandbox, generate, loop --repo)
    expect(resolveRepoSource(`sympy/sympy=${repo.dir}`)).toEqual({ kind: "path", path: repo.dir });
    expect(() => resolveRepoSource("sympy/sympy=/no/such/clone")).toThrow(
      /Repository folder \/no\/such\/clone \(from sympy\/sympy=\/no\/such\/clone\) does not exist/,
    );
  });
});
