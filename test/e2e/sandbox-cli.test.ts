import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SetupCache } from "../../src/harness/run/setup-cache.js";
import { runCli } from "../helpers/cli.js";
import { TempRepo } from "../helpers/git-repo.js";
import { HAS_BWRAP } from "../helpers/sandbox.js";

function setup() {
  const repo = new TempRepo();
  const base = repo.commit("base", { "app.py": "print('base')\n" });
  repo.commit("fix", { "app.py": "print('fixed')\n" });
  repo.write({ "app.py": "print('uncommitted')\n" });
  const root = mkdtempSync(join(tmpdir(), "swe-review-cli-sbx-"));
  mkdirSync(join(root, "tmp"));
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: join(root, "home"),
    XDG_CACHE_HOME: join(root, "cache"),
    TMPDIR: join(root, "tmp"),
  };
  return { repo, base, root, env };
}

describe("swe-review sandbox", () => {
  it("runs a command at the base commit, sandboxed, and exits with its exit code", async () => {
    const { repo, base, env, root } = setup();
    const result = await runCli(
      [
        "sandbox",
        "--repo",
        repo.dir,
        "--base",
        base,
        ...(HAS_BWRAP ? [] : ["--sandbox", "local"]),
        "--",
        "python3 app.py; pwd; exit 7",
      ],
      { env },
    );
    expect(result.stdout).toMatch(/^base\n/);
    expect(result.code).toBe(7);
    expect(result.stderr).toMatch(/\[exit 7; commit [0-9a-f]{12};/);
    if (HAS_BWRAP) expect(result.stdout).toContain("/testbed\n");
    // the user's clone keeps its uncommitted work; the workspace is gone
    expect(repo.git("status", "--porcelain")).toBe(" M app.py\n");
    expect(readdirSync(join(root, "tmp", "swe-review-workspaces"))).toEqual([]);
  });

  it("keeps the workspace with --keep, and times out with exit 124", async () => {
    const { repo, env } = setup();
    const kept = await runCli(["sandbox", "--repo", repo.dir, "--keep", "--sandbox", "local", "--", "true"], {
      env,
    });
    const dir = /workspace kept at (\S+)\]/.exec(kept.stderr)?.[1] ?? "";
    expect(existsSync(join(dir, "testbed", "app.py"))).toBe(true);
    const slow = await runCli(
      ["sandbox", "--repo", repo.dir, "--sandbox", "local", "--timeout", "1", "--", "sleep 30"],
      {
        env,
      },
    );
    expect(slow.code).toBe(124);
  });

  it("rejects a repository that does not exist and a bad revision with exit 3", async () => {
    const { repo, env } = setup();
    const missing = await runCli(["sandbox", "--repo", "/no/such/repo", "--", "true"], { env });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(
      /--repo \/no\/such\/repo: no such file or folder\. Give an existing folder/,
    );
    const badRev = await runCli(["sandbox", "--repo", repo.dir, "--base", "nope", "--", "true"], { env });
    expect(badRev.code).toBe(3);
    expect(badRev.stderr).toMatch(/Revision 'nope' does not exist/);
  });
});

describe("swe-review cache", () => {
  it("lists mirrors and base histories and prunes them", async () => {
    const { repo, base, env, root } = setup();
    await runCli(["sandbox", "--repo", repo.dir, "--base", base, "--sandbox", "local", "--", "true"], {
      env,
    });
    const list = await runCli(["cache", "list"], { env });
    const entries = list.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(entries).toEqual([
      { kind: "mirror", path: expect.stringMatching(/\.git$/), lastUsed: expect.any(String) },
      {
        kind: "history",
        path: expect.stringContaining(`.history/${base}`),
        commit: base,
        lastUsed: expect.any(String),
      },
    ]);
    const young = JSON.parse((await runCli(["cache", "prune"], { env })).stdout);
    expect(young).toMatchObject({ mirrors: [], histories: [] });
    const dry = JSON.parse((await runCli(["cache", "prune", "--all", "--dry-run"], { env })).stdout);
    expect(dry.mirrors).toHaveLength(1);
    expect(dry.histories).toEqual([entries[1].path]);
    expect(dry.bytes).toBeGreaterThan(0);
    const repos = join(root, "cache", "swe-review", "repos");
    expect(readdirSync(repos)).toHaveLength(2);
    const pruned = JSON.parse((await runCli(["cache", "prune", "--all"], { env })).stdout);
    expect(pruned.mirrors).toHaveLength(1);
    expect(pruned.histories).toHaveLength(1);
    // what is left is the mirror's (empty) history folder
    expect(readdirSync(repos).map((name) => readdirSync(join(repos, name)))).toEqual([[]]);
    expect((await runCli(["cache", "list"], { env })).stdout).toBe("");
    expect((await runCli(["cache", "prune", "--older-than", "soon"], { env })).code).toBe(3);
  });

  it("prunes kept test setups unused for longer than --older-than, and all of them with --all", async () => {
    const { root, env } = setup();
    const setups = new SetupCache(join(root, "cache", "swe-review", "setup"));
    const keep = async (commit: string) => {
      const archive = join(root, `${commit}.tar`);
      writeFileSync(archive, "x".repeat(1000));
      const { entry } = await setups.obtain(
        { repo: "demo/app", commit, setup: ["npm ci"], env: {} },
        async () => ({ archive, deleted: [], log: "" }),
      );
      return entry.dir;
    };
    const old = await keep("a".repeat(40));
    const recent = await keep("b".repeat(40));
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    utimesSync(join(old, "last-used"), longAgo, longAgo);

    const aged = JSON.parse((await runCli(["cache", "prune"], { env })).stdout);
    expect(aged.setups).toEqual([old]);
    expect(aged.bytes).toBeGreaterThanOrEqual(1000);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    // A live workspace (its owner is this test's process) unpacking `recent`: even --all leaves it alone.
    const live = join(root, "tmp", "swe-review-workspaces", "ws-live");
    mkdirSync(live, { recursive: true });
    writeFileSync(join(live, "swe-review-owner.json"), JSON.stringify({ pid: process.pid }));
    writeFileSync(join(live, "swe-review-uses"), `${recent}\n`);
    const inUse = JSON.parse((await runCli(["cache", "prune", "--all"], { env })).stdout);
    expect(inUse).toMatchObject({ setups: [], workspaces: [] });
    expect(existsSync(recent)).toBe(true);
    rmSync(live, { recursive: true });
    const all = JSON.parse((await runCli(["cache", "prune", "--all"], { env })).stdout);
    expect(all.setups).toEqual([recent]);
    expect(existsSync(recent)).toBe(false);
  });
});
