import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeJsonAtomic } from "../common/atomic-write.js";
import { InputError } from "../common/errors.js";
import { camelCaseKeys } from "../common/record-casing.js";
import { markRunFolder } from "../common/run-folder.js";
import { redactRecord } from "../common/secrets.js";
import { VERSION } from "../version.js";
import {
  BENCH_RECORD_VERSION,
  type InstanceResult,
  InstanceResultReadSchema,
  type RunManifest,
  RunManifestReadSchema,
} from "./records.js";

/**
 * A benchmark run on disk (see records.ts). An item is done when its `result.json` exists with status `done`;
 * re-running skips done items, so a crash or Ctrl-C loses at most the items in flight.
 */
export class RunDir {
  private constructor(
    readonly dir: string,
    readonly manifest: RunManifest,
  ) {}

  /**
   * Creates a run, or opens an existing one made with the same kind of work and the same dataset. The settings are
   * recorded (and compared) without secrets: URLs lose their credentials, secret-named values are replaced.
   */
  static open(dir: string, given: Pick<RunManifest, "kind" | "dataset" | "settings">): RunDir {
    const wanted = redactRecord(given);
    const path = join(dir, "run.json");
    if (existsSync(path)) {
      const manifest = RunManifestReadSchema.parse(JSON.parse(readFileSync(path, "utf8")));
      if (manifest.kind !== wanted.kind) {
        throw new InputError(
          "run_dir_kind",
          `${dir} holds a '${manifest.kind}' run, not '${wanted.kind}': use another --run-dir.`,
        );
      }
      if (manifest.dataset.fingerprint !== wanted.dataset.fingerprint) {
        throw new InputError(
          "run_dir_dataset",
          `${dir} was made for a different dataset (${manifest.dataset.path}); results would not be comparable. Use another --run-dir.`,
        );
      }
      const before = comparableSettings(manifest.settings);
      const now = comparableSettings(wanted.settings);
      if (before !== now) {
        throw new InputError(
          "run_dir_settings",
          `${dir} was made with other settings (${before}); this run asks for ${now}. Results would not be comparable: use another --run-dir.`,
        );
      }
      if (JSON.stringify(manifest.settings) !== JSON.stringify(wanted.settings)) {
        // The same run served from elsewhere (another base URL or clone path, other retries): record where it is
        // now, so queue workers, which rebuild the work from run.json, use it too.
        const moved: RunManifest = { ...manifest, settings: wanted.settings };
        writeJsonAtomic(path, moved);
        return new RunDir(dir, moved);
      }
      return new RunDir(dir, manifest);
    }
    mkdirSync(join(dir, "instances"), { recursive: true });
    markRunFolder(dir, "bench");
    const manifest: RunManifest = {
      version: BENCH_RECORD_VERSION,
      run_id: randomUUID(),
      created_at: new Date().toISOString(),
      versions: { swe_review: VERSION, node: process.version },
      ...wanted,
    };
    writeJsonAtomic(path, manifest);
    return new RunDir(dir, manifest);
  }

  /** An existing run (a queue worker's view: it never creates runs). */
  static existing(dir: string): RunDir {
    const path = join(dir, "run.json");
    if (!existsSync(path)) {
      throw new InputError(
        "run_dir_missing",
        `${dir} has no run.json: it is not a benchmark run directory (or not shared with this machine).`,
      );
    }
    return new RunDir(dir, RunManifestReadSchema.parse(JSON.parse(readFileSync(path, "utf8"))));
  }

  itemDir(key: string): string {
    return join(this.dir, "instances", key);
  }

  result(key: string): InstanceResult | undefined {
    const path = join(this.itemDir(key), "result.json");
    if (!existsSync(path)) return undefined;
    try {
      return InstanceResultReadSchema.parse(JSON.parse(readFileSync(path, "utf8")));
    } catch {
      return undefined; // unreadable: redo it
    }
  }

  isDone(key: string): boolean {
    return this.result(key)?.status === "done";
  }

  writeResult(result: InstanceResult): void {
    mkdirSync(this.itemDir(result.key), { recursive: true });
    writeJsonAtomic(join(this.itemDir(result.key), "result.json"), result);
  }

  /** Every item's result, in folder-name order. */
  results(): InstanceResult[] {
    const folder = join(this.dir, "instances");
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .sort()
      .flatMap((key) => {
        const result = this.result(key);
        return result ? [result] : [];
      });
  }
}

/**
 * Settings as compared between runs: what decides the results (the spec, and what the executor resolved from the
 * configuration: the models' names, the test spec). Not how hard and how soon to retry, nor where the models are
 * served or the clones kept (a server restarted on another port, a clone moved).
 */
function comparableSettings(settings: Record<string, unknown>): string {
  const { spec, ...resolved } = settings;
  return `${comparableSpec(spec)} ${JSON.stringify(resolved)}`;
}

function comparableSpec(spec: unknown): string {
  if (spec === null || typeof spec !== "object") return JSON.stringify(spec ?? null);
  const {
    attempts: _attempts,
    retryDelayMs: _delay,
    repoOverrides: _clones,
    ...rest
  } = camelCaseKeys(spec) as Record<string, unknown>; // run.json holds it in snake_case (earlier: camelCase)
  for (const role of ["reviewer", "generator"]) {
    const value = rest[role];
    if (value && typeof value === "object") {
      const { baseUrl: _where, ...what } = value as Record<string, unknown>;
      rest[role] = what;
    }
  }
  return JSON.stringify(rest);
}
