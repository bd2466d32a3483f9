import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { InputError } from "../common/errors.js";
import type { Candidate } from "../data/candidate.js";
import type { Instance } from "../data/instance.js";
import { loadCandidates, loadInstances } from "../data/load.js";
import { loadSweReviewBench } from "../data/swe-review-bench.js";
import { itemKey } from "./records.js";

/** One thing a benchmark run does once: review (or loop on) one candidate of one instance. */
export interface BenchItem {
  key: string;
  instance: Instance;
  candidate: Candidate;
  /** Ground truth: does the candidate resolve the instance? null when unknown. */
  label: boolean | null;
  split?: string;
}

export interface BenchItems {
  items: BenchItem[];
  fingerprint: string;
  split?: string;
}

/** The item options a run's dataset spec names (`instancesOnly` for loop runs, which generate their candidates). */
export function benchItemsOptions(
  dataset: {
    path: string;
    candidates?: string | undefined;
    split?: string | undefined;
    instances?: string[] | undefined;
  },
  instancesOnly = false,
): Parameters<typeof loadBenchItems>[0] {
  return {
    dataset: dataset.path,
    ...(dataset.candidates && !instancesOnly ? { candidates: dataset.candidates } : {}),
    ...(dataset.split ? { split: dataset.split } : {}),
    ...(dataset.instances ? { instances: dataset.instances } : {}),
    ...(instancesOnly ? { instancesOnly } : {}),
  };
}

/**
 * The items of a run: a SWE-Review-Bench split (its folder, or a file of hub rows: one candidate per instance, with
 * its label), or SWE-bench instances joined with a candidates file. `instances` keeps only those ids.
 */
export async function loadBenchItems(options: {
  dataset: string;
  candidates?: string;
  split?: string;
  instances?: readonly string[];
  /** One item per instance, with no candidate yet (loop runs generate their own): `candidate_id` is the instance id. */
  instancesOnly?: boolean;
}): Promise<BenchItems> {
  let items: BenchItem[];
  let split = options.split;
  if (options.instancesOnly) {
    split ??= basename(options.dataset).replace(/\.(jsonl|ndjson|json|parquet)$/i, "");
    const name = split;
    items = (await loadInstances(options.dataset)).map((instance) => ({
      key: itemKey(instance.instance_id),
      instance,
      candidate: { candidate_id: instance.instance_id, instance_id: instance.instance_id, model_patch: "" },
      label: null,
      split: name,
    }));
  } else if (options.candidates) {
    const instances = new Map(
      (await loadInstances(options.dataset)).map((instance) => [instance.instance_id, instance]),
    );
    items = (await loadCandidates(options.candidates)).map((candidate) => {
      const instance = instances.get(candidate.instance_id);
      if (!instance) {
        throw new InputError(
          "candidate_unknown_instance",
          `${options.candidates}: candidate ${candidate.candidate_id} is for ${candidate.instance_id}, which ${options.dataset} does not contain.`,
        );
      }
      return {
        key: itemKey(candidate.candidate_id),
        instance,
        candidate,
        label: candidate.resolved ?? null,
        ...(split ? { split } : {}),
      };
    });
  } else {
    const bench = await loadSweReviewBench(options.dataset, options.split ? { split: options.split } : {});
    split = bench.split;
    items = bench.entries.map((entry) => {
      if (!entry.instance) {
        throw new InputError(
          "instance_missing",
          `${options.dataset} has no instance data (base commit, repository, issue) for ${entry.candidate.instance_id}: add its instances.json entry.`,
        );
      }
      return {
        key: itemKey(entry.candidate.candidate_id),
        instance: entry.instance,
        candidate: entry.candidate,
        label: entry.candidate_resolved,
        split: bench.split,
      };
    });
  }
  if (options.instances && options.instances.length > 0) {
    const wanted = new Set(options.instances);
    const unknown = [...wanted].filter((id) => !items.some((item) => item.instance.instance_id === id));
    if (unknown.length > 0) {
      throw new InputError(
        "instance_unknown",
        `--instances: ${unknown.join(", ")} not in ${options.dataset}.`,
      );
    }
    items = items.filter((item) => wanted.has(item.instance.instance_id));
  }
  const keys = new Set<string>();
  for (const item of items) {
    if (keys.has(item.key))
      throw new InputError("candidate_duplicate", `Candidate ${item.candidate.candidate_id} appears twice.`);
    keys.add(item.key);
  }
  return {
    items,
    fingerprint: fingerprint([options.dataset, options.candidates]),
    ...(split ? { split } : {}),
  };
}

/** sha256 of the dataset's files (a folder: its files in name order). */
export function fingerprint(paths: ReadonlyArray<string | undefined>): string {
  const hash = createHash("sha256");
  for (const path of paths) {
    if (!path || !existsSync(path)) continue;
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .sort()
          .map((name) => join(path, name))
          .filter((file) => statSync(file).isFile())
      : [path];
    for (const file of files) hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}
