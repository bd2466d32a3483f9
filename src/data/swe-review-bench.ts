import { existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import { InputError } from "../common/errors.js";
import type { Candidate } from "./candidate.js";
import type { Instance } from "./instance.js";
import { parseRecord, readRecords, type SourceRecord, withInstanceIdFromKey } from "./records.js";
import { instanceFromSweBench, OptionalTextSchema, SweBenchRowSchema } from "./swe-bench.js";

/**
 * One SWE-Review-Bench item: a candidate pull request for an instance and its ground truth. `candidate_resolved`
 * is the name the benchmark's metric code reads; hub rows call it `resolved`, and both are accepted.
 */
export interface ReviewBenchEntry {
  candidate: Candidate & { resolved: boolean };
  candidate_resolved: boolean;
  /** Absent when a split folder has no `instances.json` entry for it. */
  instance?: Instance;
}

/** A SWE-Review-Bench split as read: its name and one entry per instance (a candidate and its ground truth). */
export interface ReviewBench {
  /** The name given, else the folder's or file's name. */
  split: string;
  entries: ReviewBenchEntry[];
}

const LabelSchema = {
  resolved: z.boolean().nullish(),
  candidate_resolved: z.boolean().nullish(),
};
const PatchEntrySchema = z.object({
  instance_id: z.string().min(1),
  model_patch: z.string(),
  ...LabelSchema,
});
const PrContentSchema = z.object({ pr_title: OptionalTextSchema, pr_body: OptionalTextSchema });
const HubRowSchema = SweBenchRowSchema.extend({
  model_patch: z.string(),
  pr_title: OptionalTextSchema,
  pr_body: OptionalTextSchema,
  ...LabelSchema,
});

/**
 * A SWE-Review-Bench split: either the downloader's folder (`patches_filtered.json` or `patches_v3.json`, and
 * optionally `pr_contents.json` and `instances.json`, each `{"instances": {<instance_id>: {...}}}`), or a file of
 * hub rows (JSONL, JSON or Parquet). The split name defaults to the folder's or file's name.
 */
export async function loadSweReviewBench(
  path: string,
  options: { split?: string } = {},
): Promise<ReviewBench> {
  const isFolder = existsSync(path) && statSync(path).isDirectory();
  const split = options.split ?? basename(path).replace(/\.(jsonl|ndjson|json|parquet)$/i, "");
  const entries = isFolder ? await splitFolderEntries(path, split) : await hubRowEntries(path, split);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.candidate.instance_id)) {
      throw new InputError(
        "data_duplicate",
        `${path} lists ${entry.candidate.instance_id} twice; a split has one candidate per instance.`,
      );
    }
    seen.add(entry.candidate.instance_id);
  }
  return { split, entries };
}

async function splitFolderEntries(folder: string, split: string): Promise<ReviewBenchEntry[]> {
  const patchesFile = ["patches_filtered.json", "patches_v3.json"]
    .map((name) => join(folder, name))
    .find((file) => existsSync(file));
  if (!patchesFile) {
    throw new InputError(
      "data_file_missing",
      `${folder} has neither patches_filtered.json nor patches_v3.json: it is not a SWE-Review-Bench split folder.`,
    );
  }
  const prContents = await keyedRows(join(folder, "pr_contents.json"), (record) =>
    parseRecord(PrContentSchema, record, "a pr_contents entry ({pr_title, pr_body})"),
  );
  const instances = await keyedRows(join(folder, "instances.json"), (record) =>
    instanceFromSweBench(
      parseRecord(SweBenchRowSchema, withInstanceIdFromKey(record), "an instances.json entry"),
      "swe-review-bench",
    ),
  );
  const patches = await readRecords(patchesFile);
  return patches.map((record) => {
    const entry = parseRecord(
      PatchEntrySchema,
      withInstanceIdFromKey(record),
      "a patch entry ({model_patch, resolved})",
    );
    const resolved = label(entry, record);
    const pr = prContents.get(entry.instance_id);
    const instance = instances.get(entry.instance_id);
    return {
      candidate: candidate(entry.instance_id, entry.model_patch, split, resolved, pr?.pr_title, pr?.pr_body),
      candidate_resolved: resolved,
      ...(instance ? { instance } : {}),
    };
  });
}

async function hubRowEntries(file: string, split: string): Promise<ReviewBenchEntry[]> {
  const records = await readRecords(file);
  return records.map((record) => {
    const row = parseRecord(HubRowSchema, record, "a SWE-Review-Bench row");
    const resolved = label(row, record);
    return {
      candidate: candidate(row.instance_id, row.model_patch, split, resolved, row.pr_title, row.pr_body),
      candidate_resolved: resolved,
      instance: instanceFromSweBench(row, "swe-review-bench"),
    };
  });
}

function candidate(
  instanceId: string,
  modelPatch: string,
  split: string,
  resolved: boolean,
  prTitle: string | undefined,
  prBody: string | undefined,
): Candidate & { resolved: boolean } {
  return {
    candidate_id: `${instanceId}@${split}`,
    instance_id: instanceId,
    model_patch: modelPatch,
    ...(prTitle !== undefined ? { pr_title: prTitle } : {}),
    ...(prBody !== undefined ? { pr_body: prBody } : {}),
    source: split,
    resolved,
  };
}

function label(
  row: { resolved?: boolean | null | undefined; candidate_resolved?: boolean | null | undefined },
  record: SourceRecord,
): boolean {
  const value = row.candidate_resolved ?? row.resolved;
  if (value == null) {
    throw new InputError(
      "data_row_invalid",
      `${record.where} has no ground truth: it needs 'resolved' (or 'candidate_resolved') true or false.`,
    );
  }
  return value;
}

async function keyedRows<T>(file: string, parse: (record: SourceRecord) => T): Promise<Map<string, T>> {
  const rows = new Map<string, T>();
  if (!existsSync(file)) return rows;
  for (const record of await readRecords(file)) {
    const id = record.key ?? (record.value as { instance_id?: unknown } | null)?.instance_id;
    if (typeof id === "string") rows.set(id, parse(record));
  }
  return rows;
}
