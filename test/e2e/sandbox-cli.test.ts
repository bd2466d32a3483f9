import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { containerLabels, LABELS } from "../../src/containers/container-labels.js";
import type { Engine } from "../../src/containers/engine.js";
import { pruneContainers } from "../../src/containers/prune.js";
import { PulledImages } from "../../src/containers/pulled-images.js";
import { CgroupLimits, sandboxCgroupParents } from "../../src/workspace/sandbox/cgroup.js";
import { SetupCache } from "../../src/workspace/setup/setup-cache.js";
import { CLI, runCli } from "../helpers/cli.js";
import { TempRepo } from "../helpers/git-repo.js";
import { HAS_BWRAP, NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle, unless } from "../helpers/skip.js";
import { waitUntil } from "../helpers/wait.js";
import { baseImage, baseImageSkipReason, engineForTests } from "../support/container-images.js";

// `cache prune` acts on the machine's sandbox cgroups: its tests share this file so that they never run at once.

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

  it("keeps each word of a several-word command whole (`-- bash -c 'echo a; echo b'`)", async () => {
    const { repo, env } = setup();
    const result = await runCli(
      [
        "sandbox",
        "--repo",
        repo.dir,
        "--sandbox",
        "local",
        "--",
        "bash",
        "-c",
        "echo 'it''s'; echo $0",
        "x y",
      ],
      { env },
    );
    expect(result.stdout).toBe("its\nx y\n");
    expect(result.code).toBe(0);
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
        { repo: "demo/app", basis: commit, setup: ["npm ci"], env: {} },
        async () => ({ archive, deleted: [], created: [], log: "" }),
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

function pruneSetup() {
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

const noCgroups = unless(WRITABLE, "no writable cgroup hierarchy (root on cgroup v2, as in CI)");
describe.skipIf(noCgroups)(skipTitle("cache prune and the cgroups killed runs leave", noCgroups), () => {
  it("removes empty groups older than a minute, and keeps young, busy and live workspaces' groups", async () => {
    const { env, workspaces } = pruneSetup();
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

  it.skipIf(NO_BWRAP)(
    skipTitle("removes the groups of a sandbox run killed with kill -9", NO_BWRAP),
    async () => {
      const { env, workspaces } = pruneSetup();
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
    },
  );
});

/**
 * Containers of runs that died (owner gone, or past their wall time) and images swe-review pulled: `cache prune`
 * removes them on the real engine (Podman's service in CI) and nothing else: a live run's container, a container
 * that is not swe-review's and an image swe-review did not pull all stay.
 */
const found = await engineForTests();
const engineSkip = typeof found === "string" ? found : await baseImageSkipReason(found);

describe.skipIf(engineSkip)(skipTitle("cache prune on the container engine", engineSkip), () => {
  const engine = found as Engine;
  const made: string[] = [];
  let image = "";
  // Built once (debootstrap, a few minutes) the first time on a machine, by whichever test file comes first.
  beforeAll(async () => {
    image = await baseImage(engine);
  }, 900_000);
  afterAll(async () => {
    for (const id of made)
      await engine.docker
        .getContainer(id)
        .remove({ force: true })
        .catch(() => {});
  });

  async function container(image: string, labels: Record<string, string>): Promise<string> {
    const created = await engine.docker.createContainer({
      Image: image,
      Cmd: ["sleep", "600"],
      Labels: labels,
      HostConfig: { NetworkMode: "none" },
    });
    made.push(created.id);
    await created.start();
    return created.id;
  }
  const exists = (id: string) =>
    engine.docker
      .getContainer(id)
      .inspect()
      .then(
        () => true,
        () => false,
      );
  const deadPid = async () => {
    const child = spawn("true");
    await new Promise((resolve) => child.on("close", resolve));
    return child.pid ?? 999_999;
  };

  it("removes left-over labelled containers, running or not, and leaves live and foreign ones", async () => {
    const run = `prune-test-${process.pid}`;
    const expired = await container(image, containerLabels(`${run} expired`, -60_000));
    const orphan = await container(image, {
      ...containerLabels(`${run} orphan`, 3600_000),
      [LABELS.owner]: `${hostname()}:${await deadPid()}`,
    });
    const live = await container(image, containerLabels(`${run} live`, 3600_000));
    const foreign = await container(image, { "io.example.other": "1" });

    const removed = await pruneContainers(engine);
    const ids = removed.map((entry) => entry.id);
    expect(ids).toEqual(expect.arrayContaining([expired, orphan]));
    expect(ids).not.toContain(live);
    expect(ids).not.toContain(foreign);
    expect(removed.find((entry) => entry.id === expired)).toMatchObject({
      run: `${run} expired`,
      state: "running",
    });
    expect(await exists(expired)).toBe(false);
    expect(await exists(orphan)).toBe(false);
    expect(await exists(live)).toBe(true);
    expect(await exists(foreign)).toBe(true);
  });

  it("the CLI prunes containers and only the images swe-review pulled; without an engine it says so and goes on", async () => {
    const { env } = pruneSetup();
    const left = await container(image, containerLabels(`prune-cli-${process.pid}`, -1000));
    // An image "pulled" by swe-review (a tag of the base, recorded as the pull would record it), and one that is not.
    const tag = String(process.pid);
    const pulled = `localhost/swe-review-test/pulled-probe:${tag}`;
    const mine = `localhost/swe-review-test/not-pulled-probe:${tag}`;
    await engine.docker.getImage(image).tag({ repo: "localhost/swe-review-test/pulled-probe", tag });
    await engine.docker.getImage(image).tag({ repo: "localhost/swe-review-test/not-pulled-probe", tag });
    try {
      const { Id } = await engine.docker.getImage(pulled).inspect();
      new PulledImages(join(env.XDG_CACHE_HOME, "swe-review", "images", "pulled.jsonl")).recordPulled(
        engine.where,
        pulled,
        Id,
      );
      const engineEnv = { ...env, DOCKER_HOST: engine.where };
      const young = JSON.parse((await runCli(["cache", "prune"], { env: engineEnv })).stdout);
      expect(young.engine).toBe(engine.where);
      expect(young.containers.map((entry: { id: string }) => entry.id)).toContain(left);
      expect(young.images).toEqual([]); // pulled moments ago: kept unless --all or older
      const all = await runCli(["cache", "prune", "--all"], { env: engineEnv });
      expect(JSON.parse(all.stdout).images).toEqual([pulled]);
      await expect(engine.docker.getImage(pulled).inspect()).rejects.toThrow();
      await engine.docker.getImage(mine).inspect(); // not swe-review's: still there
      expect((await engine.docker.getImage(image).inspect()).Id).toBe(Id); // and the image under it

      const none = await runCli(["cache", "prune"], {
        env: { ...env, DOCKER_HOST: `unix://${join(env.TMPDIR, "no-engine.sock")}` },
      });
      expect(none.code).toBe(0);
      expect(none.stderr.trim().split("\n")).toHaveLength(1);
      expect(none.stderr).toContain("No container engine reachable");
      expect(JSON.parse(none.stdout)).toMatchObject({ engine: null, containers: [], images: [] });
    } finally {
      for (const name of [pulled, mine])
        await engine.docker
          .getImage(name)
          .remove()
          .catch(() => {});
    }
  });
});
