import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CgroupLimits, sandboxCgroupParents } from "../../src/workspace/sandbox/cgroup.js";
import { CLI, runCli } from "../helpers/cli.js";
import { TempRepo } from "../helpers/git-repo.js";
import { HAS_BWRAP } from "../helpers/sandbox.js";
import { waitUntil } from "../helpers/wait.js";

/**
 * `kill -9` of a run skips its sandbox's cleanup and leaves its cgroups behind; `cache prune` removes those (empty,
 * not just made, not a live workspace's) and says so, and leaves every other group alone. Needs a writable cgroup
 * hierarchy (root, as in CI).
 */
const LIMITS = { pidsMax: 64, memoryMb: 256 };
const WRITABLE = (() => {
  const probe = CgroupLimits.create(`ws-probe-${process.pid}`, LIMITS);
  void probe?.dispose();
  return probe !== undefined;
})();

const children: ChildProcess[] = [];
const groups: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const dir of groups.splice(0)) {
    try {
      rmdirSync(dir);
    } catch {
      // removed by the test, or still busy for a moment
    }
  }
});

/** The group folders a sandbox named `name` has (one per controller on cgroup v1, one on v2). */
const groupDirs = (name: string) => sandboxCgroupParents().map((parent) => join(parent, name));
const processesIn = (dir: string) => readFileSync(join(dir, "cgroup.procs"), "utf8").trim();

function age(dirs: string[], minutes: number): void {
  const then = new Date(Date.now() - minutes * 60_000);
  for (const dir of dirs) utimesSync(dir, then, then);
}

function setup() {
  const root = mkdtempSync(join(tmpdir(), "swe-review-prune-cg-"));
  mkdirSync(join(root, "tmp"));
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: join(root, "home"),
    XDG_CACHE_HOME: join(root, "cache"),
    TMPDIR: join(root, "tmp"),
  };
  return { root, env, workspaces: join(root, "tmp", "swe-review-workspaces") };
}

describe.skipIf(!WRITABLE)("cache prune and the cgroups killed runs leave", () => {
  it("removes empty groups older than a minute, and keeps young, busy and live workspaces' groups", async () => {
    const { env, workspaces } = setup();
    const name = (what: string) => `ws-${what}-${process.pid}-${Date.now()}`;
    const made: Record<string, string> = {};
    for (const what of ["stale", "young", "busy", "live"]) {
      made[what] = name(what);
      expect(CgroupLimits.create(made[what] as string, LIMITS)).toBeDefined();
      groups.push(...groupDirs(made[what] as string));
    }
    const [stale, young, busy, live] = ["stale", "young", "busy", "live"].map((what) =>
      groupDirs(made[what] as string),
    ) as [string[], string[], string[], string[]];
    age([...stale, ...busy, ...live], 5);
    // A process in the busy group, as a sandbox's supervisor is.
    const sleeper = spawn("/bin/sh", [
      "-c",
      `${busy.map((dir) => `echo $$ > ${dir}/cgroup.procs`).join(" && ")} && exec sleep 60`,
    ]);
    children.push(sleeper);
    await waitUntil(() => busy.every((dir) => processesIn(dir) !== ""), "the sleeper to join its group");
    // A live workspace (its owner is this test) whose sandbox is between processes.
    mkdirSync(join(workspaces, made.live as string), { recursive: true });
    writeFileSync(
      join(workspaces, made.live as string, "swe-review-owner.json"),
      JSON.stringify({ pid: process.pid }),
    );

    const dry = JSON.parse((await runCli(["cache", "prune", "--dry-run"], { env })).stdout);
    expect(dry.cgroups).toEqual(expect.arrayContaining(stale));
    expect(stale.every((dir) => existsSync(dir))).toBe(true);

    const pruned = await runCli(["cache", "prune"], { env });
    expect(pruned.code, pruned.stderr).toBe(0);
    const report = JSON.parse(pruned.stdout);
    expect(report.cgroups).toEqual(expect.arrayContaining(stale));
    for (const dir of [...young, ...busy, ...live]) expect(report.cgroups).not.toContain(dir);
    expect(stale.some((dir) => existsSync(dir))).toBe(false);
    expect([...young, ...busy, ...live].every((dir) => existsSync(dir))).toBe(true);
  });

  it.skipIf(!HAS_BWRAP)("removes the groups of a sandbox run killed with kill -9", async () => {
    const { env, workspaces } = setup();
    const repo = new TempRepo();
    repo.commit("base", { "app.py": "print('base')\n" });
    const run = spawn(process.execPath, [CLI, "sandbox", "--repo", repo.dir, "--", "sleep 120"], {
      env,
      stdio: "ignore",
    });
    children.push(run);
    // Its workspace, and its groups with the sandbox's processes in them.
    let name = "";
    await waitUntil(() => {
      name = existsSync(workspaces)
        ? (readdirSync(workspaces).find((entry) => entry.startsWith("ws-")) ?? "")
        : "";
      return name !== "" && groupDirs(name).every((dir) => existsSync(dir) && processesIn(dir) !== "");
    }, "the sandbox to start");
    const dirs = groupDirs(name);
    groups.push(...dirs);
    run.kill("SIGKILL");
    // bubblewrap dies with its parent, and every process in its namespace with it: the groups empty.
    await waitUntil(() => dirs.every((dir) => processesIn(dir) === ""), "the sandbox to die");
    expect(dirs.every((dir) => existsSync(dir))).toBe(true); // left behind: nothing cleaned up after kill -9

    const fresh = JSON.parse((await runCli(["cache", "prune"], { env })).stdout);
    expect(fresh.workspaces).toEqual([join(workspaces, name)]);
    for (const dir of dirs) expect(fresh.cgroups).not.toContain(dir); // made moments ago: left for now
    age(dirs, 2);
    const aged = JSON.parse((await runCli(["cache", "prune"], { env })).stdout);
    expect(aged.cgroups).toEqual(expect.arrayContaining(dirs));
    expect(dirs.some((dir) => existsSync(dir))).toBe(false);
  });
});
