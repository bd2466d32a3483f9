/**
 * Harness overhead in containers: `swe-review verify --sandbox docker` on one real sympy candidate, against the
 * same eval script (SWE-bench's, `sweBenchEvalScript`) run by hand in the same image (`docker run`, through the
 * API: create, start, wait, remove), with the candidate applied first. Needs the shared data and a sympy image the
 * real-data test built (`localhost/swe-review-test/sympy-<number>`): run `test/real-data/verify-docker-sympy.test.ts`
 * once first.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ENGINE_SAFE_ULIMITS } from "../src/containers/container-sandbox.js";
import type { Engine } from "../src/containers/engine.js";
import { sweBenchEvalScript } from "../src/harness/swe-bench/eval-script.js";
import { CLI } from "../test/helpers/cli.js";
import { sharedDataDir } from "../test/helpers/shared-data.js";
import { median } from "./stats.js";

const INSTANCE = process.env.SWE_REVIEW_BENCH_INSTANCE ?? "sympy__sympy-24213";
const RUNS = 3;

function jsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

interface Row {
  instance_id: string;
  repo: string;
  version: string;
  base_commit: string;
  test_patch: string;
}

async function byHand(
  engine: Engine,
  image: string,
  script: string,
): Promise<{ seconds: number; log: string }> {
  const started = performance.now();
  const container = await engine.docker.createContainer({
    Image: image,
    Cmd: ["bash", "-c", script],
    HostConfig: {
      NetworkMode: "none",
      Ulimits: ENGINE_SAFE_ULIMITS,
    },
  });
  try {
    await container.start();
    await container.wait();
    const seconds = (performance.now() - started) / 1000;
    const logs = await container.logs({ stdout: true, stderr: true });
    return { seconds, log: logs.toString("latin1") };
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
}

export async function measureHarness(engine: Engine): Promise<void> {
  const data = sharedDataDir();
  const number = INSTANCE.split("-").at(-1);
  const images = await engine.docker.listImages({
    filters: { reference: [`localhost/swe-review-test/sympy-${number}`] },
  });
  const image = images[0]?.RepoTags?.[0];
  if (!data || !image) {
    console.log(
      `\nharness: skipped (needs ../shared/data and the image localhost/swe-review-test/sympy-${number}).`,
    );
    return;
  }
  const row = jsonl<Row>(join(data, "swe-bench-lite", "instances.jsonl")).find(
    (r) => r.instance_id === INSTANCE,
  );
  const candidate = jsonl<{ instance_id: string; candidate_id: string; model_patch: string }>(
    join(data, "candidates", "sympy-dev.jsonl"),
  ).find((c) => c.instance_id === INSTANCE);
  if (!row || !candidate) throw new Error(`${INSTANCE} or its candidate is missing from the shared data`);
  const dir = mkdtempSync(join(tmpdir(), "swe-review-bench-harness-"));
  try {
    writeFileSync(join(dir, "instances.jsonl"), `${JSON.stringify({ ...row, image_name: image })}\n`);
    writeFileSync(join(dir, "candidates.jsonl"), `${JSON.stringify(candidate)}\n`);
    const delimiter = "EOF_SWE_REVIEW_BENCH";
    const script = [
      "cd /testbed",
      `git apply -v - <<'${delimiter}'\n${candidate.model_patch}\n${delimiter}`,
      sweBenchEvalScript(row),
    ].join("\n");
    const hand: number[] = [];
    const verify: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      hand.push((await byHand(engine, image, script)).seconds);
      const started = performance.now();
      execFileSync(
        process.execPath,
        [
          CLI,
          "verify",
          "--dataset",
          join(dir, "instances.jsonl"),
          "--candidates",
          join(dir, "candidates.jsonl"),
          "--output",
          join(dir, `run-${run}`),
          "--sandbox",
          "docker",
          "--no-pull",
          "--no-setup-cache",
        ],
        { stdio: "ignore" },
      );
      verify.push((performance.now() - started) / 1000);
    }
    const ratio = median(verify) / median(hand);
    console.log(
      `\nharness (${INSTANCE}, median of ${RUNS}): eval script by hand ${median(hand).toFixed(2)} s; ` +
        `swe-review verify ${median(verify).toFixed(2)} s; overhead ${ratio.toFixed(2)}x ` +
        `(+${(median(verify) - median(hand)).toFixed(2)} s)\ngoal: overhead <= 1.10x`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
