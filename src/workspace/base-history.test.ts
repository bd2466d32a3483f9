import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TempRepo } from "../../test/helpers/git-repo.js";
import { geometricPrefix, listBaseHistories } from "./base-history.js";
import { pruneCache } from "./prune/prune-cache.js";
import { RepoCache } from "./repo-cache.js";
import { resolveRepoSource } from "./repo-source.js";
import { Workspace } from "./workspace.js";

/** Temp folders this file made, removed at its end. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function gitIn(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: dir, GIT_CONFIG_NOSYSTEM: "1" },
  });
}

/** main: c1 - c2 - c3 - c4, a branch from c2 (b1), tags, a note, a pull ref, a stash and a stray blob. */
function setup() {
  const repo = new TempRepo();
  const c1 = repo.commit("first", { "app.py": "print(1)\n" });
  const c2 = repo.commit("second", { "app.py": "print(2)\n", "lib/util.py": "X = 2\n" });
  const c3 = repo.commit("third", { "app.py": "print(3)\n", "fix.py": "FIXED = 3\n" });
  const c4 = repo.commit("fourth", { "app.py": "print(4)\n" });
  repo.git("tag", "-a", "v4", "-m", "release 4", c4);
  repo.git("checkout", "--quiet", "-b", "feature", c2);
  const b1 = repo.commit("feature", { "feature.py": "F = 1\n" });
  repo.git("checkout", "--quiet", "main");
  repo.git("update-ref", "refs/pull/7/head", b1);
  repo.git("notes", "add", "-m", "a note written later", c2);
  const stray = repo.git("hash-object", "-w", "--stdin", "--path", "x").trim();
  repo.write({ "app.py": "print('uncommitted')\n" });
  repo.git("stash");
  const root = mkdtempSync(join(tmpdir(), "swe-review-history-"));
  made.push(repo.dir, root);
  const cache = new RepoCache(join(root, "cache"));
  const create = (base: string) =>
    Workspace.create({ source: resolveRepoSource(repo.dir), base, cache, root: join(root, "ws") });
  return { repo, c1, c2, c3, c4, b1, stray, root, cache, create };
}

/** Every object git can read in a repository, as the agent would list them. */
function allObjects(dir: string): string[] {
  return gitIn(dir, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
    .trim()
    .split("\n")
    .sort();
}

/** The objects reachable from `commit` in the source: what a checkout at it may see, exactly. */
function reachable(repo: TempRepo, commit: string): string[] {
  return [
    ...new Set(
      repo
        .git("rev-list", "--objects", commit)
        .split("\n")
        .filter(Boolean)
        .map((line) => line.slice(0, 40)),
    ),
  ].sort();
}

function layers(path: string): Array<{ pack: string; tip: string }> {
  return JSON.parse(readFileSync(join(path, "layers.json"), "utf8")).layers;
}

describe("base histories", () => {
  it("give a checkout every object reachable from its base and nothing later, whatever ref or store holds it", async () => {
    const { repo, c2, c3, c4, b1, stray, create } = setup();
    const ws = await create(c2);
    const seen = allObjects(ws.testbed);
    expect(seen).toEqual(reachable(repo, c2));
    // Everything else the source holds: later commits on main and the branch, the tag object, the note, the pull
    // ref, the stash (the user's uncommitted work) and a stray blob no ref reaches.
    const base = new Set(reachable(repo, c2));
    const later = allObjects(repo.dir).filter((object) => !base.has(object));
    const tagsNotesStash = repo.git("rev-parse", "v4", "refs/notes/commits", "refs/stash").trim().split("\n");
    expect(later).toEqual(expect.arrayContaining([c3, c4, b1, stray, ...tagsNotesStash]));
    expect(seen.filter((object) => later.includes(object))).toEqual([]);
    // what the agent's git borrows is the history alone, never the mirror
    expect(readFileSync(join(ws.testbed, ".git/objects/info/alternates"), "utf8")).toBe(
      `${ws.history.objectsDir}\n`,
    );
    expect(ws.layout().shared).toEqual([ws.history.objectsDir]);
    expect(ws.history.objectsDir.startsWith(ws.mirror.path)).toBe(false);
    // and it is whole: fsck finds every object the base's history needs
    gitIn(ws.testbed, "fsck", "--no-dangling");
    await ws.dispose();
  });

  it("reuse an ancestor's packs by hard link and pack only what the base adds", async () => {
    const { repo, c1, c2, c4, b1, cache, create } = setup();
    const first = await create(c2);
    // A history made before records were snake_case (its layers.json has `createdAt`) is still reused.
    const file = join(first.history.path, "layers.json");
    const { created_at, ...record } = JSON.parse(readFileSync(file, "utf8"));
    expect(created_at).toMatch(/^\d{4}-/);
    writeFileSync(file, JSON.stringify({ ...record, createdAt: created_at }));
    const later = await create(c4);
    const branch = await create(b1);
    expect(layers(later.history.path).map((layer) => layer.tip)).toEqual([c2, c4]);
    expect(layers(branch.history.path).map((layer) => layer.tip)).toEqual([c2, b1]);
    const pack = (ws: Workspace, name: string) =>
      statSync(join(ws.history.objectsDir, "pack", `${name}.pack`));
    const shared = layers(first.history.path)[0]?.pack ?? "";
    expect(pack(later, shared).ino).toBe(pack(first, shared).ino);
    expect(pack(later, shared).nlink).toBe(3);
    for (const [ws, commit] of [
      [later, c4],
      [branch, b1],
    ] as const) {
      expect(allObjects(ws.testbed)).toEqual(reachable(repo, commit));
      gitIn(ws.testbed, "fsck", "--no-dangling");
    }
    // an older base than any history made so far has no ancestor to reuse: one pack of its own
    const oldest = await create(c1);
    expect(layers(oldest.history.path).map((layer) => layer.tip)).toEqual([c1]);
    expect(allObjects(oldest.testbed)).toEqual(reachable(repo, c1));
    // a second workspace at a base finds its history made
    const again = await create(c4);
    expect(again.history.path).toBe(later.history.path);
    expect(
      listBaseHistories(cache.dir)
        .map((entry) => entry.commit)
        .sort(),
    ).toEqual([c1, c2, c4, b1].sort());
    for (const ws of [first, later, branch, oldest, again]) await ws.dispose();
  });

  it("pack the whole history when the ancestor's is broken, and outlive a pruned ancestor", async () => {
    const { repo, c2, c4, b1, create } = setup();
    const first = await create(c2);
    for (const name of readdirSync(join(first.history.objectsDir, "pack"))) {
      rmSync(join(first.history.objectsDir, "pack", name));
    }
    const later = await create(c4);
    expect(layers(later.history.path).map((layer) => layer.tip)).toEqual([c4]);
    expect(allObjects(later.testbed)).toEqual(reachable(repo, c4));
    await first.dispose();
    rmSync(first.history.path, { recursive: true });
    // A descendant shares its ancestor's packs; pruning the ancestor's history leaves the descendant's whole.
    const base = await create(c2);
    const branch = await create(b1);
    expect(layers(branch.history.path).map((layer) => layer.tip)).toEqual([c2, b1]);
    await base.dispose();
    rmSync(base.history.path, { recursive: true });
    expect(allObjects(branch.testbed)).toEqual(reachable(repo, b1));
    gitIn(branch.testbed, "fsck", "--no-dangling");
    for (const ws of [later, branch]) await ws.dispose();
  });

  it("keep a few packs along a long chain of bases, each object packed again only a few times", () => {
    const sizes = (list: Array<{ bytes: number }>) => list.map((layer) => layer.bytes);
    expect(sizes(geometricPrefix([{ bytes: 100 }]))).toEqual([100]);
    expect(sizes(geometricPrefix([{ bytes: 100 }, { bytes: 3 }, { bytes: 1 }]))).toEqual([100, 3, 1]);
    expect(sizes(geometricPrefix([{ bytes: 100 }, { bytes: 1 }, { bytes: 1 }]))).toEqual([100]);
    expect(sizes(geometricPrefix([{ bytes: 10 }, { bytes: 30 }]))).toEqual([]);
    // 500 bases, each adding 1 to a first history of 1,000: simulate the chain
    let chain = [{ bytes: 1000 }];
    let repacked = 0;
    let longest = 1;
    for (let base = 0; base < 500; base++) {
      const kept = geometricPrefix(chain);
      const merged = chain.slice(kept.length).reduce((sum, layer) => sum + layer.bytes, 0);
      repacked += merged;
      chain = [...kept, { bytes: merged + 1 }];
      longest = Math.max(longest, chain.length);
    }
    expect(longest).toBeLessThanOrEqual(8);
    expect(repacked / 500).toBeLessThan(10);
  });
});

describe("cache prune", () => {
  it("removes unused histories, never one a live workspace uses or one being made, and half-made ones of dead processes", async () => {
    const { c2, c4, root, cache, create } = setup();
    const live = await create(c2);
    const done = await create(c4);
    await done.dispose();
    // half-made histories: one whose maker died (pid 999999999 is above the kernel's maximum), one being made
    const deadPartial = join(dirname(live.history.path), `${"e".repeat(40)}.partial-999999999`);
    const livePartial = join(dirname(live.history.path), `${"f".repeat(40)}.partial-${process.pid}`);
    for (const dir of [deadPartial, livePartial]) {
      mkdirSync(join(dir, "objects", "pack"), { recursive: true });
      writeFileSync(join(dir, "objects", "pack", "tmp_pack_1"), "x".repeat(100));
    }
    const report = pruneCache({ cache, workspaceRoots: [join(root, "ws")], olderThanDays: 30, all: true });
    expect(report.histories.sort()).toEqual([done.history.path, deadPartial].sort());
    expect(existsSync(live.history.path)).toBe(true);
    expect(existsSync(livePartial)).toBe(true);
    expect(existsSync(done.history.path)).toBe(false);
    // the live workspace still works
    expect(gitIn(live.testbed, "log", "--format=%s").trim().split("\n")).toEqual(["second", "first"]);
    await live.dispose();
    const after = pruneCache({ cache, workspaceRoots: [join(root, "ws")], olderThanDays: 30, all: true });
    expect(after.histories).toEqual([live.history.path]);
    expect(after.mirrors).toEqual([live.mirror.path]);
    expect(after.bytes).toBeGreaterThan(0);
    expect(existsSync(livePartial)).toBe(true);
  });
});
