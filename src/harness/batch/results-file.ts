import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";
import { InputError } from "../../common/errors.js";
import { tryDirectoryLock } from "../../workspace/lock.js";
import { type VerifyResult, VerifyResultSchema } from "../run/verify-result.js";

/**
 * `verify`'s results: JSONL, one line per candidate, each appended whole as soon as the candidate is done, so a
 * crash keeps every finished verdict. Opening it reads what is done: lines with a verdict are kept and their
 * candidates skipped; lines reporting an infrastructure error, and a last line cut short by a crash, are dropped
 * (the file is rewritten atomically) so those candidates run again. One process writes a results file at a time:
 * `open` takes a lock (`<file>.lock`) that `close` releases; a lock whose owner died is taken over.
 */
export class ResultsFile {
  private constructor(
    readonly path: string,
    readonly finished: ReadonlyMap<string, VerifyResult>,
  ) {}

  static open(path: string): ResultsFile {
    mkdirSync(dirname(path), { recursive: true });
    lock(path);
    try {
      return ResultsFile.read(path);
    } catch (error) {
      unlock(path);
      throw error;
    }
  }

  private static read(path: string): ResultsFile {
    if (!existsSync(path)) return new ResultsFile(path, new Map());
    const text = readFileSync(path, "utf8");
    const lines = text.split("\n");
    // The piece after the last newline is empty, or a line a crash cut short (kept only if it is whole).
    const last = lines.pop() ?? "";
    if (last.trim() && isResult(last)) lines.push(last);
    const kept: string[] = [];
    const finished = new Map<string, VerifyResult>();
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const result = parseLine(line, path, index + 1);
      if (result.error !== undefined) return;
      finished.set(result.candidate_id, result);
      kept.push(line);
    });
    const rewritten = kept.map((line) => `${line}\n`).join("");
    if (rewritten !== text) {
      const partial = `${path}.tmp-${process.pid}`;
      writeFileSync(partial, rewritten);
      renameSync(partial, path);
    }
    return new ResultsFile(path, finished);
  }

  /** Releases the lock. */
  close(): void {
    unlock(this.path);
  }

  /** Appends one line in a single write. */
  append(result: VerifyResult): void {
    appendFileSync(this.path, `${JSON.stringify(VerifyResultSchema.parse(result))}\n`);
  }
}

function lock(path: string): void {
  const taken = tryDirectoryLock(`${path}.lock`, Number.POSITIVE_INFINITY);
  if (taken.acquired) return;
  throw new InputError(
    "results_busy",
    `${path} is being written by another swe-review verify${taken.owner ? ` (pid ${taken.owner})` : ""}; ` +
      `wait for it to finish or choose another --output (remove ${path}.lock if none is running).`,
  );
}

function unlock(path: string): void {
  rmSync(`${path}.lock`, { recursive: true, force: true });
}

function isResult(line: string): boolean {
  try {
    return VerifyResultSchema.safeParse(JSON.parse(line)).success;
  } catch {
    return false;
  }
}

function parseLine(line: string, path: string, number: number): VerifyResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new InputError(
      "results_invalid",
      `${path} line ${number} is not JSON: it is not a verify results file. Choose another --output.`,
    );
  }
  const parsed = VerifyResultSchema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(
      "results_invalid",
      `${path} line ${number} is not a verify result (${parsed.error.issues[0]?.message}). Choose another --output.`,
    );
  }
  return parsed.data;
}
