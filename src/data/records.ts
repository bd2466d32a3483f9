import { existsSync, readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { z } from "zod";
import { errorMessage, InputError } from "../common/errors.js";
import { readParquetRows } from "./parquet.js";

/** One row of a data file and where it is, for error messages: `data.jsonl line 3`, `x.json item 2`. */
export interface SourceRecord {
  value: unknown;
  where: string;
  /** The key of the row in a `{"instances": {<key>: row}}` file (SWE-Review-Bench's split files). */
  key?: string;
}

/**
 * The rows of a JSONL, JSON or Parquet file. JSON may be an array of rows or SWE-Review-Bench's
 * `{"instances": {<instance_id>: row}}`.
 */
export async function readRecords(path: string): Promise<SourceRecord[]> {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new InputError("data_file_missing", `Data file ${path} does not exist or is not a file.`);
  }
  const name = basename(path).toLowerCase();
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return jsonLines(path);
  if (name.endsWith(".json")) return jsonRows(path);
  if (name.endsWith(".parquet")) {
    try {
      const rows = await readParquetRows(path);
      return rows.map((value, index) => ({ value, where: `${path} row ${index + 1}` }));
    } catch (error) {
      throw new InputError("data_file_invalid", `Cannot read ${path} as Parquet: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }
  throw new InputError(
    "data_file_format",
    `Cannot tell the format of ${path}: name it .jsonl (one JSON object a line), .json or .parquet.`,
  );
}

function jsonLines(path: string): SourceRecord[] {
  const records: SourceRecord[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, index) => {
      if (!line.trim()) return;
      const where = `${path} line ${index + 1}`;
      try {
        records.push({ value: JSON.parse(line), where });
      } catch (error) {
        throw new InputError("data_row_invalid", `${where} is not valid JSON: ${errorMessage(error)}`);
      }
    });
  return records;
}

function jsonRows(path: string): SourceRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new InputError("data_file_invalid", `${path} is not valid JSON: ${errorMessage(error)}`);
  }
  if (Array.isArray(data)) return data.map((value, index) => ({ value, where: `${path} item ${index + 1}` }));
  const instances = (data as { instances?: unknown } | null)?.instances;
  if (instances && typeof instances === "object" && !Array.isArray(instances)) {
    return Object.entries(instances).map(([key, value]) => ({ value, key, where: `${path} entry "${key}"` }));
  }
  if (Array.isArray(instances)) {
    return instances.map((value, index) => ({ value, where: `${path} instances item ${index + 1}` }));
  }
  throw new InputError(
    "data_file_invalid",
    `${path} holds neither a JSON array of rows nor {"instances": {<instance_id>: {...}}}.`,
  );
}

/** Validates one row; the error names the file, the line and every bad field. */
export function parseRecord<S extends z.ZodType>(
  schema: S,
  record: SourceRecord,
  expected: string,
): z.output<S> {
  const result = schema.safeParse(record.value);
  if (result.success) return result.data;
  const id = (record.value as { instance_id?: unknown } | null)?.instance_id;
  const label = typeof id === "string" ? ` (instance ${id})` : "";
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join(".");
    if (!field) return issue.message;
    if (issue.code === "invalid_type" && /received undefined/.test(issue.message))
      return `missing field '${field}'`;
    return `field '${field}': ${issue.message}`;
  });
  throw new InputError(
    "data_row_invalid",
    `${record.where}${label} is not ${expected}: ${problems.join("; ")}. Fix or remove that row.`,
  );
}

/** A row of a `{"instances": {<id>: row}}` file gets its key as `instance_id` when it has none. */
export function withInstanceIdFromKey(record: SourceRecord): SourceRecord {
  const value = record.value;
  if (record.key === undefined || typeof value !== "object" || value === null || "instance_id" in value) {
    return record;
  }
  return { ...record, value: { instance_id: record.key, ...value } };
}
