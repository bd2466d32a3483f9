import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { VERSION } from "../version.js";

/**
 * A run folder is a folder a swe-review command writes its outputs into (`review`'s report.json and
 * trajectory.jsonl, `generate`'s candidate, `loop`'s rounds, a bench run). Each one gets this hidden marker file
 * when it is made, so a working-tree review that finds one inside the repository knows exactly what it is.
 * Readers of run folders skip it (it is a dot-file, and no reader lists a run folder's top level for records).
 */
export const RUN_FOLDER_MARKER = ".swe-review-run.json";

// The paths of the run-folder layout (RUN_FOLDER_LAYOUT, below), by the code that writes them.
const REVIEW_OUTPUTS = [
  // runReview (review, github review, the MCP server's review_patch, loop and bench review rounds)
  "report.json",
  "trajectory.jsonl",
  // traj view of that trajectory, by default
  "trajectory.html",
];
const GENERATION_OUTPUTS = [
  // runGeneration (generate, loop rounds, bench revise): the candidate, its PR content and the record
  "candidate.patch",
  "pr.json",
  "result.json",
  // an agent generator's trajectory (and its page), or a command generator's output
  "trajectory.jsonl",
  "trajectory.html",
  "generator.log",
];
const VERIFY_OUTPUTS = [
  // a verified sample or item (loop --verify, bench verify, bench revise, bench tts)
  "verify.json",
  "verify.log",
];
const LOOP_OUTPUTS = [
  // runLoop: the record, rewritten after every step, and the submitted candidate
  "loop.json",
  "final.patch",
  // each sample's round folder
  ...under("rounds/<NN>-generation", [...GENERATION_OUTPUTS, ...VERIFY_OUTPUTS]),
  ...under("rounds/<NN>-revision", [...GENERATION_OUTPUTS, ...VERIFY_OUTPUTS]),
  ...under("rounds/<NN>-review", REVIEW_OUTPUTS),
];
const BENCH_OUTPUTS = [
  // RunDir, bench revise's settings, and the score (bench score --run-dir, and every runner when it ends)
  "run.json",
  "revise.json",
  "summary.json",
  "report.html",
  ...under("instances/<key>", [
    // every item's record; bench review's candidate, report and trajectory; bench verify's test run
    "result.json",
    "candidate.json",
    ...REVIEW_OUTPUTS,
    ...VERIFY_OUTPUTS,
    // bench revise: the revision's generation and test run, then its record
    "revision.json",
    ...under("revision", [...GENERATION_OUTPUTS, ...VERIFY_OUTPUTS]),
    // bench tts: a loop per item
    ...under("loop", LOOP_OUTPUTS),
  ]),
  // traj import writes instances/<key>/trajectory.jsonl and result.json: both above
];

/**
 * The run-folder layout contract: every path, relative to a run folder, that a swe-review command writes there, and
 * nothing else. A working-tree review leaves out of the patch only the untracked files of a run folder found in the
 * repository that fit it (see `findRunFolders`); any other file in such a folder is reviewed, so a folder dressed
 * up as a run folder hides nothing but files named exactly like swe-review's outputs. A writer that puts a new file
 * into a run folder adds its path here.
 *
 * Placeholders stand for one path segment: `<key>` a bench item's folder (`itemKey` of its candidate id) or an
 * imported trajectory's name (letters, digits, `_`, `.`, `@`, `-`); `<NN>` a loop sample's number (two digits or
 * more). Temporary files of an interrupted atomic write (`<name>.<pid>.tmp`) are not part of it.
 */
export const RUN_FOLDER_LAYOUT: readonly string[] = [
  ...new Set([
    RUN_FOLDER_MARKER,
    // traj view of a run folder, by default
    "trajectories.html",
    ...REVIEW_OUTPUTS,
    ...GENERATION_OUTPUTS,
    ...LOOP_OUTPUTS,
    ...BENCH_OUTPUTS,
  ]),
];

/** What each placeholder of `RUN_FOLDER_LAYOUT` stands for, as a regular expression of part of one segment. */
const PLACEHOLDERS: Record<string, string> = {
  "<key>": "[\\w.@-]+",
  "<NN>": "\\d{2,}",
};

const LAYOUT_PATTERN = new RegExp(`^(?:${RUN_FOLDER_LAYOUT.map(pathPattern).join("|")})$`);

/**
 * Whether `path` (relative to a run folder, `/`-separated) is one of the paths of `RUN_FOLDER_LAYOUT`: exact names
 * at exact depths, a placeholder matching one segment and never `.` or `..`.
 */
export function isRunFolderOutput(path: string): boolean {
  if (path.split("/").some((segment) => segment === "." || segment === "..")) return false;
  return LAYOUT_PATTERN.test(path);
}

function under(folder: string, paths: readonly string[]): string[] {
  return paths.map((path) => `${folder}/${path}`);
}

function pathPattern(path: string): string {
  return path
    .split(/(<[a-zA-Z]+>)/)
    .map((part) => {
      if (!part.startsWith("<")) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const pattern = PLACEHOLDERS[part];
      if (pattern === undefined) throw new Error(`RUN_FOLDER_LAYOUT: unknown placeholder ${part} in ${path}`);
      return pattern;
    })
    .join("");
}

export const RunFolderMarkerSchema = z.object({
  format: z.literal("swe-review-run"),
  version: z.literal(1),
  /** The command that made the folder (`review`, `generate`, `loop`, `github`, `mcp`, `bench`). */
  command: z.string(),
  created_at: z.string(),
  swe_review: z.string(),
});
export type RunFolderMarker = z.infer<typeof RunFolderMarkerSchema>;

/** Makes `dir` (if it is not there) and marks it as a run folder of `command`; an existing marker is kept. */
export function markRunFolder(dir: string, command: string, now: Date = new Date()): string {
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, RUN_FOLDER_MARKER);
  if (!existsSync(marker)) {
    const record: RunFolderMarker = {
      format: "swe-review-run",
      version: 1,
      command,
      created_at: now.toISOString(),
      swe_review: VERSION,
    };
    writeFileSync(marker, `${JSON.stringify(record, null, 2)}\n`);
  }
  return dir;
}

/**
 * A new run folder under `parent`, named `<command>-<yyyymmdd-hhmmss>-<random>`: made with an exclusive mkdir, so
 * two runs started in the same second (or sharing a clock) never share a folder.
 */
export function newRunFolder(parent: string, command: string, now: Date = new Date()): string {
  mkdirSync(parent, { recursive: true });
  for (;;) {
    const dir = join(parent, `${command}-${timestamp(now)}-${randomBytes(3).toString("hex")}`);
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
    return markRunFolder(dir, command, now);
  }
}

/** `yyyymmdd-hhmmss` in UTC. */
function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "")
    .replace("T", "-");
}
