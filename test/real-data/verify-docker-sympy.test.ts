import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { isLeftOver } from "../../src/containers/container-labels.js";
import type { Engine } from "../../src/containers/engine.js";
import { VerifyResultSchema } from "../../src/harness/run/verify-result.js";
import { parseRepoOverrides } from "../../src/workspace/repo-source.js";
import { runCli } from "../helpers/cli.js";
import { sharedDataDir } from "../helpers/shared-data.js";
import { skipTitle } from "../helpers/skip.js";
import { baseImageSkipReason, engineForTests, instanceImage } from "../support/container-images.js";

/**
 * Real SWE-bench Lite sympy instances verified with `verify --sandbox docker` in instance images made here (the
 * base fixture, Python 3.11, with sympy's repository at the base commit copied to /testbed: no registry needed),
 * with no host clone (no --repo, an empty cache), must reproduce the official labels of real candidates
 * (`candidates/sympy-dev.jsonl`). Only versions from 1.2 on (older sympy does not run on Python 3.11).
 *
 * Needs a container engine, the shared data (`../shared/data`), and a sympy git repository (bare or not) at
 * `$SWE_REVIEW_SYMPY_MIRROR`, else the sympy clone in `SWE_REVIEW_REPOS` (`sympy/sympy=/path`), else
 * `../.mirror/sympy+sympy/repo` beside the repository; skips without them (CI has none).
 * `SWE_REVIEW_SYMPY_INSTANCES` (comma-separated ids) limits the instances. Slow: about 8 minutes for the 27
 * candidates of 9 instances (-j 4; `SWE_REVIEW_SYMPY_JOBS`), plus the images' first build (about 20 s each).
 */
const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));
const data = sharedDataDir();
const mirror =
  process.env.SWE_REVIEW_SYMPY_MIRROR ||
  parseRepoOverrides((process.env.SWE_REVIEW_REPOS ?? "").split(",").filter(Boolean)).get("sympy/sympy") ||
  resolve(REPOSITORY, "..", ".mirror", "sympy+sympy", "repo");
const found = await engineForTests();
const skip =
  typeof found === "string"
    ? found
    : !data || !existsSync(join(data, "candidates", "sympy-dev.jsonl"))
      ? "no shared data (../shared/data)"
      : !existsSync(join(mirror, "HEAD")) && !existsSync(join(mirror, ".git"))
        ? `no sympy repository at ${mirror} (SWE_REVIEW_SYMPY_MIRROR)`
        : await baseImageSkipReason(found);

interface Row {
  instance_id: string;
  base_commit: string;
  version: string;
  [field: string]: unknown;
}
interface LabelledCandidate {
  instance_id: string;
  candidate_id: string;
  model_patch: string;
  resolved: boolean;
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

function atLeast(version: string, minimum: [number, number]): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}

/** A one-commit repository holding sympy at `commit` (a shallow fetch from the mirror: seconds, a few MB). */
function shallowCheckout(dir: string, commit: string): void {
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { stdio: "pipe" });
  mkdirSync(dir, { recursive: true });
  git("init", "-q");
  git("fetch", "-q", "--depth", "1", `file://${resolve(mirror)}`, commit);
  git("-c", "advice.detachedHead=false", "checkout", "-q", "--detach", commit);
}

describe.skipIf(skip)(skipTitle("verify --sandbox docker reproduces official sympy labels", skip), () => {
  const engine = found as Engine;
  const dir = mkdtempSync(join(tmpdir(), "swe-review-verify-sympy-"));
  const dataset = join(dir, "instances.jsonl");
  const candidatesFile = join(dir, "candidates.jsonl");
  let labelled: LabelledCandidate[] = [];
  const images: string[] = [];

  beforeAll(async () => {
    const shared = data ?? "";
    const only = process.env.SWE_REVIEW_SYMPY_INSTANCES?.split(",").filter(Boolean);
    const rows = new Map(
      readJsonl<Row>(join(shared, "swe-bench-lite", "instances.jsonl")).map((row) => [row.instance_id, row]),
    );
    labelled = readJsonl<LabelledCandidate>(join(shared, "candidates", "sympy-dev.jsonl")).filter(
      (candidate) => {
        const row = rows.get(candidate.instance_id);
        return row && atLeast(row.version, [1, 2]) && (!only || only.includes(row.instance_id));
      },
    );
    const ids = [...new Set(labelled.map((candidate) => candidate.instance_id))];
    const lines: string[] = [];
    for (const id of ids) {
      const row = rows.get(id) as Row;
      const repoDir = join(dir, "repos", id);
      shallowCheckout(repoDir, row.base_commit);
      const image = await instanceImage(engine, {
        name: `sympy-${id.replace(/^sympy__sympy-/, "")}`,
        repoDir,
        baseCommit: row.base_commit,
        laterRefs: false,
      });
      images.push(image);
      lines.push(JSON.stringify({ ...row, image_name: image }));
    }
    writeFileSync(dataset, `${lines.join("\n")}\n`);
    writeFileSync(
      candidatesFile,
      labelled
        .map(({ instance_id, candidate_id, model_patch }) =>
          JSON.stringify({ instance_id, candidate_id, model_patch }),
        )
        .join("\n"),
    );
  }, 1_800_000);

  it("gives every candidate its official label, with no host clone and no container left", async () => {
    const output = join(dir, "results.jsonl");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      XDG_CACHE_HOME: join(dir, "cache"),
      XDG_CONFIG_HOME: join(dir, "config"),
    };
    for (const name of ["DOCKER_HOST", "CONTAINER_HOST"]) {
      const value = process.env[name];
      if (value) env[name] = value;
    }
    const run = await runCli(
      [
        "verify",
        "--dataset",
        dataset,
        "--candidates",
        candidatesFile,
        "--output",
        output,
        "--sandbox",
        "docker",
        "--no-pull",
        "--no-setup-cache",
        "-j",
        process.env.SWE_REVIEW_SYMPY_JOBS ?? "4",
        "--timeout",
        "900",
      ],
      { cwd: dir, env, timeoutMs: 3_000_000 },
    );
    const results = existsSync(output)
      ? readFileSync(output, "utf8")
          .trim()
          .split("\n")
          .map((line) => VerifyResultSchema.parse(JSON.parse(line)))
      : [];
    const got = new Map(results.map((result) => [result.candidate_id, result]));
    const rows = labelled.map((candidate) => {
      const result = got.get(candidate.candidate_id);
      return {
        candidate: candidate.candidate_id,
        official: candidate.resolved,
        ours: result?.error ? `error: ${result.error.slice(0, 120)}` : result?.resolved,
      };
    });
    const agree = rows.filter((row) => row.ours === row.official).length;
    console.log(`sympy agreement (docker): ${agree}/${rows.length}\n${JSON.stringify(rows, null, 1)}`);
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    expect(rows.filter((row) => row.ours !== row.official)).toEqual([]);
    expect(existsSync(join(dir, "cache", "swe-review", "repos"))).toBe(false);
    const left = await engine.docker.listContainers({
      all: true,
      filters: { label: ["io.swe-review.managed=1"] },
    });
    // Others may use these images meanwhile (another test file, a person): only containers whose owner has ended,
    // as the CLI has, are left behind.
    expect(
      left.filter((container) => images.includes(container.Image) && isLeftOver(container.Labels)),
    ).toEqual([]);
  }, 3_000_000);

  it.each([
    ["gold", true],
    ["empty", false],
  ])(
    "verifies every instance's %s patch as the official harness does (resolved: %s)",
    async (kind, expected) => {
      const output = join(dir, `${kind}.jsonl`);
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        XDG_CACHE_HOME: join(dir, "cache"),
        XDG_CONFIG_HOME: join(dir, "config"),
      };
      if (process.env.DOCKER_HOST) env.DOCKER_HOST = process.env.DOCKER_HOST;
      const run = await runCli(
        [
          "verify",
          "--dataset",
          dataset,
          "--candidates",
          kind as string,
          "--output",
          output,
          "--sandbox",
          "docker",
        ].concat([
          "--no-pull",
          "--no-setup-cache",
          "-j",
          process.env.SWE_REVIEW_SYMPY_JOBS ?? "4",
          "--timeout",
          "900",
        ]),
        { cwd: dir, env, timeoutMs: 3_000_000 },
      );
      const results = readFileSync(output, "utf8")
        .trim()
        .split("\n")
        .map((line) => VerifyResultSchema.parse(JSON.parse(line)));
      console.log(
        `sympy ${kind} (docker): ${results.filter((r) => r.resolved === expected).length}/${results.length}`,
      );
      expect(results.length).toBe(new Set(labelled.map((candidate) => candidate.instance_id)).size);
      expect(results.map((r) => [r.instance_id, r.resolved, r.error ?? null])).toEqual(
        results.map((r) => [r.instance_id, expected, null]),
      );
      if (kind === "gold") expect(run.code, run.stderr.slice(-2000)).toBe(0);
    },
    3_000_000,
  );
});
