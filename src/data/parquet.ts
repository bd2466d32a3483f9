import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";

/**
 * Every row of a Parquet file (as the Hugging Face hub stores datasets; ZSTD and the other codecs included), with
 * 64-bit integers, which hyparquet returns as BigInt, turned into numbers (or decimal strings past 2^53) so rows
 * validate and serialise like JSON rows.
 */
export async function readParquetRows(path: string): Promise<Record<string, unknown>[]> {
  const file = await asyncBufferFromFile(path);
  const rows = await parquetReadObjects({ file, compressors });
  return rows.map((row) => withoutBigInts(row) as Record<string, unknown>);
}

export function withoutBigInts(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) return value.map(withoutBigInts);
  if (value !== null && typeof value === "object" && !(value instanceof Date) && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutBigInts(item)]));
  }
  return value;
}
