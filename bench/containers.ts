/**
 * The container backend beside bubblewrap: how long a sandbox takes to start, and the round trip of `true` in a warm
 * one (goal <= 10 ms), next to what a user would otherwise do per command (`docker exec`, through the same API).
 * With `--harness`, also verify's wall time against the same eval script run by hand in the same image (goal:
 * overhead <= 1.10x).
 *
 *   DOCKER_HOST=unix:///run/podman/podman.sock npm run bench:containers [-- --commands 200 --starts 5]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ContainerSandbox, ENGINE_SAFE_ULIMITS } from "../src/containers/container-sandbox.js";
import { checkEngine, type Engine, findEngine } from "../src/containers/engine.js";
import { RepoCache } from "../src/workspace/repo-cache.js";
import { resolveRepoSource } from "../src/workspace/repo-source.js";
import { type OpenSandbox, openSandbox, startFromSandbox } from "../src/workspace/sandbox/open.js";
import { Workspace } from "../src/workspace/workspace.js";
import { TempRepo } from "../test/helpers/git-repo.js";
import { baseImage } from "../test/support/container-images.js";
import { measureHarness } from "./containers-harness.js";
import { median, p90 } from "./stats.js";

const arg = (name: string, fallback: number) =>
  Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const commands = arg("commands", 200);
const starts = arg("starts", 5);

async function roundTrips(box: OpenSandbox): Promise<number[]> {
  for (let i = 0; i < 5; i++) await box.shell.run("true", 10_000); // warm
  const trips: number[] = [];
  for (let i = 0; i < commands; i++) {
    const started = performance.now();
    await box.shell.run("true", 10_000);
    trips.push(performance.now() - started);
  }
  return trips;
}

function line(name: string, start: number, trips: number[]): void {
  console.log(
    `${name.padEnd(28)} start ${start.toFixed(0).padStart(6)} ms   \`true\` round trip ${median(trips).toFixed(2)} ms median, ${p90(trips).toFixed(2)} ms p90`,
  );
}

async function bwrap(): Promise<void> {
  const repo = new TempRepo();
  const base = repo.commit("base", { "a.py": "print(1)\n" });
  const root = mkdtempSync(join(tmpdir(), "swe-review-bench-containers-"));
  const workspace = await Workspace.create({
    source: resolveRepoSource(repo.dir),
    base,
    cache: new RepoCache(join(root, "cache")),
    root: join(root, "ws"),
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < starts; i++) {
      const started = performance.now();
      const box = await openSandbox(workspace, { kind: "bwrap" });
      times.push(performance.now() - started);
      await box.close();
    }
    const box = await openSandbox(workspace, { kind: "bwrap" });
    line("bwrap (persistent shell)", median(times), await roundTrips(box));
    await box.close();
  } finally {
    await workspace.dispose();
    rmSync(root, { recursive: true, force: true });
    rmSync(repo.dir, { recursive: true, force: true });
  }
}

async function containers(engine: Engine, image: string): Promise<void> {
  const open = () => {
    const box = startFromSandbox(
      new ContainerSandbox({ docker: engine.docker, image, run: "bench containers" }),
      {
        kind: "docker",
      },
    );
    return box.ready.then(() => box);
  };
  await (await open()).close(); // the runtime volume exists from here on
  const times: number[] = [];
  for (let i = 0; i < starts; i++) {
    const started = performance.now();
    const box = await open();
    times.push(performance.now() - started);
    await box.close();
  }
  const box = await open();
  line("docker (persistent shell)", median(times), await roundTrips(box));
  await box.close();

  // What a user would pick without a persistent shell: one `docker exec` per command, on a running container.
  const started = performance.now();
  const container = await engine.docker.createContainer({
    Image: image,
    Cmd: ["sleep", "600"],
    HostConfig: {
      AutoRemove: true,
      NetworkMode: "none",
      Ulimits: ENGINE_SAFE_ULIMITS,
    },
  });
  await container.start();
  const start = performance.now() - started;
  const trips: number[] = [];
  try {
    const execs = Math.min(commands, 50);
    for (let i = 0; i < execs; i++) {
      const begun = performance.now();
      const exec = await container.exec({ Cmd: ["true"], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({});
      await new Promise((resolve) => {
        stream.on("end", resolve);
        stream.resume();
      });
      trips.push(performance.now() - begun);
    }
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
  line("docker exec per command", start, trips);
}

const engine = findEngine();
await checkEngine(engine);
const image = await baseImage(engine, (text) => console.log(text));
console.log(`engine: ${engine.where}; image: ${image}; ${commands} commands, ${starts} starts\n`);
await bwrap();
await containers(engine, image);
console.log("goal: round trip <= 10 ms in a warm container");
if (process.argv.includes("--harness")) await measureHarness(engine);
