import { closeSync, constants, lstatSync, openSync, readSync } from "node:fs";
import { join, posix } from "node:path";
import { z } from "zod";
import { isRunFolderOutput, RUN_FOLDER_MARKER, RunFolderMarkerSchema } from "../common/run-folder.js";
import { TRAJECTORY_FORMAT } from "../trajectory/schema.js";
import { isRegularFile } from "./agent-file.js";
import { git } from "./git.js";

/** A swe-review run folder inside a repository, and its untracked files: swe-review's outputs, and the rest. */
export interface RunFolder {
  /** Relative to the repository's top folder, with a trailing slash. */
  path: string;
  /** What gave it away, in words. */
  reason: string;
  /**
   * Its untracked files that are swe-review's outputs (regular files at a path of the run-folder layout,
   * `RUN_FOLDER_LAYOUT`), relative to the top folder: what a working-tree diff leaves out.
   */
  files: string[];
  /**
   * Its other untracked files (names swe-review never writes there, or links), relative to the top folder: a
   * working-tree diff keeps them, whatever the folder looks like.
   */
  kept: string[];
}

/** The folder name earlier versions wrote every run into, in the working folder: `swe-review-runs/<run>/…`. */
export const LEGACY_RUNS_FOLDER = "swe-review-runs";

const HeaderSchema = z.object({ type: z.literal("header"), format: z.literal(TRAJECTORY_FORMAT) });
const LoopRecordKeysSchema = z.object({ strategy: z.string(), samples_spent: z.number() });
const RunManifestKeysSchema = z.object({ run_id: z.string(), kind: z.string() });

/** The name of a run's folder in `swe-review-runs` (`<command>-<time>` as earlier versions named them). */
const RUN_NAME = /^(?!\.\.?$)[\w.@-]+$/;

/** A run folder candidate: how it was found (named `swe-review-runs`, or by what is in it). */
interface Candidate {
  reason: string;
  legacy: boolean;
  found: boolean;
}

/**
 * The run folders among a repository's untracked files (`untracked`: paths relative to `top`, as `git ls-files
 * --others --full-name` gives them). A folder counts when it is named `swe-review-runs`, holds swe-review's run
 * marker, or holds what a swe-review command writes (a review's report.json beside a swe-review trajectory, a
 * generation's result.json with candidate.patch and pr.json, a loop's loop.json with rounds/, a benchmark run's
 * run.json with instances/). A folder holding any tracked file is never one (it is the user's, whatever is in it),
 * nor is the top folder; a run folder inside another is part of it.
 *
 * Since anyone who writes into the working tree can make a folder look like one, only the files swe-review itself
 * writes there are its outputs (`files`): regular files (never links) at a path of the run-folder layout
 * (`RUN_FOLDER_LAYOUT`) relative to a run folder they are in, or below `swe-review-runs/<run>/`. Every other
 * untracked file in the folder is `kept`.
 */
export async function findRunFolders(top: string, untracked: readonly string[]): Promise<RunFolder[]> {
  const candidates = new Map<string, Candidate>();
  for (const file of untracked) {
    const legacy = legacyRunsFolderOf(file);
    if (legacy) addCandidate(candidates, legacy, { reason: `named ${LEGACY_RUNS_FOLDER}`, legacy: true });
    const found = runFolderOf(top, file);
    if (found) addCandidate(candidates, found.path, { reason: found.reason, found: true });
  }
  const byDepth = [...candidates.keys()].sort(
    (a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b),
  );
  // Every run folder, nested ones too: a file is swe-review's when it fits the layout of any run folder it is in.
  const accepted: string[] = [];
  for (const folder of byDepth) {
    const outer = accepted.some((other) => inside(folder, other));
    if (outer || !(await holdsTrackedFiles(top, folder))) accepted.push(folder);
  }
  const outermost = accepted.filter((folder) => !accepted.some((other) => inside(folder, other))).sort();
  return outermost.map((folder) => {
    const files: string[] = [];
    const kept: string[] = [];
    for (const file of untracked) {
      if (!inside(file, folder)) continue;
      const ours =
        isRegularFile(join(top, file)) &&
        accepted.some((runFolder) => {
          const candidate = candidates.get(runFolder);
          return candidate !== undefined && inside(file, runFolder) && fitsLayout(candidate, file, runFolder);
        });
      (ours ? files : kept).push(file);
    }
    return { path: `${folder}/`, reason: candidates.get(folder)?.reason ?? "", files, kept };
  });
}

function addCandidate(
  candidates: Map<string, Candidate>,
  path: string,
  how: { reason: string; legacy?: boolean; found?: boolean },
): void {
  if (path === ".") return;
  const known = candidates.get(path);
  candidates.set(path, {
    reason: known?.reason ?? how.reason,
    legacy: (known?.legacy ?? false) || how.legacy === true,
    found: (known?.found ?? false) || how.found === true,
  });
}

/**
 * Whether `file` is at a path swe-review writes in `folder`: the run-folder layout relative to a folder found by
 * its contents, or relative to a run's folder `swe-review-runs/<run>/` in a `swe-review-runs` folder.
 */
function fitsLayout(candidate: Candidate, file: string, folder: string): boolean {
  const relative = file.slice(folder.length + 1);
  if (candidate.found && isRunFolderOutput(relative)) return true;
  if (!candidate.legacy) return false;
  const [run, ...rest] = relative.split("/");
  return run !== undefined && RUN_NAME.test(run) && isRunFolderOutput(rest.join("/"));
}

/** The `swe-review-runs` folder an untracked file is in, if it is in one. */
function legacyRunsFolderOf(file: string): string | undefined {
  const segments = file.split("/");
  const legacy = segments.indexOf(LEGACY_RUNS_FOLDER);
  if (legacy < 0 || legacy === segments.length - 1) return undefined;
  return segments.slice(0, legacy + 1).join("/");
}

/** The run folder an untracked file gives away by what it is and what is beside it, if it does. */
function runFolderOf(top: string, file: string): { path: string; reason: string } | undefined {
  const folder = posix.dirname(file);
  const here = (name: string) => join(top, folder, name);
  switch (posix.basename(file)) {
    case RUN_FOLDER_MARKER:
      return matches(here(RUN_FOLDER_MARKER), RunFolderMarkerSchema)
        ? { path: folder, reason: `it holds swe-review's run marker ${RUN_FOLDER_MARKER}` }
        : undefined;
    case "report.json":
      return isSweReviewTrajectory(here("trajectory.jsonl"))
        ? { path: folder, reason: "it holds a review's report.json and trajectory.jsonl" }
        : undefined;
    case "result.json":
      return isRegularFile(here("candidate.patch")) && isRegularFile(here("pr.json"))
        ? { path: folder, reason: "it holds a generation's result.json, candidate.patch and pr.json" }
        : undefined;
    case "loop.json":
      return directory(here("rounds")) && matches(here("loop.json"), LoopRecordKeysSchema)
        ? { path: folder, reason: "it holds a loop's loop.json and rounds/" }
        : undefined;
    case "run.json":
      return directory(here("instances")) && matches(here("run.json"), RunManifestKeysSchema)
        ? { path: folder, reason: "it holds a benchmark run's run.json and instances/" }
        : undefined;
    default:
      return undefined;
  }
}

function inside(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`);
}

/** Whether the real index tracks any file under `folder` (staged new files count: the user added them). */
async function holdsTrackedFiles(top: string, folder: string): Promise<boolean> {
  const { stdout } = await git(["ls-files", "-z", "--", `:(top,literal)${folder}/`], { cwd: top });
  return stdout.length > 0;
}

function isSweReviewTrajectory(path: string): boolean {
  return matches(path, HeaderSchema, { firstLine: true });
}

/** Whether `path` is a regular file whose JSON (`firstLine`: its first line's) fits `schema`. */
function matches(path: string, schema: z.ZodType, options: { firstLine?: boolean } = {}): boolean {
  if (!isRegularFile(path)) return false;
  const text = readHead(path, options.firstLine === true);
  if (text === undefined) return false;
  try {
    return schema.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}

const MAX_READ_BYTES = 4 * 1024 * 1024;

/** The file's text (`firstLine`: up to its first newline), read up to 4 MiB; undefined when there is more. */
function readHead(path: string, firstLine: boolean): string | undefined {
  // Never through a link put there after the check (`regularFile`) before it.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) return Buffer.concat(chunks).toString("utf8");
      const chunk = Buffer.from(buffer.subarray(0, read));
      const end = firstLine ? chunk.indexOf(10) : -1;
      if (end >= 0) return Buffer.concat([...chunks, chunk.subarray(0, end)]).toString("utf8");
      chunks.push(chunk);
      total += read;
      if (total > MAX_READ_BYTES) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}

function directory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
