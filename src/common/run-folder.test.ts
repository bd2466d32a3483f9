import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { manifest, result } from "../../test/helpers/run-dir.js";
import { outsideRunFolderLayout } from "../../test/helpers/run-folder-layout.js";
import { itemKey } from "../bench/records.js";
import { RunDir } from "../bench/run-dir-writer.js";
import { writeImportedRun } from "../training-data/import/write-run.js";
import {
  isRunFolderOutput,
  markRunFolder,
  newRunFolder,
  RUN_FOLDER_LAYOUT,
  RUN_FOLDER_MARKER,
  RunFolderMarkerSchema,
} from "./run-folder.js";
import { stateDir } from "./state-dir.js";

describe("run folders", () => {
  it("gives runs started in the same second folders of their own, each marked", () => {
    const parent = join(mkdtempSync(join(tmpdir(), "swe-review-runs-")), "runs");
    const now = new Date("2026-03-04T05:06:07.890Z");
    const folders = Array.from({ length: 20 }, () => newRunFolder(parent, "review", now));
    expect(new Set(folders).size).toBe(20);
    expect(readdirSync(parent)).toHaveLength(20);
    for (const folder of folders) {
      expect(basename(folder)).toMatch(/^review-20260304-050607-[0-9a-f]{6}$/);
      const marker = RunFolderMarkerSchema.parse(
        JSON.parse(readFileSync(join(folder, RUN_FOLDER_MARKER), "utf8")),
      );
      expect(marker).toMatchObject({ command: "review", created_at: "2026-03-04T05:06:07.890Z" });
    }
  });

  it("marks a given folder, making it if needed, and keeps the marker of an earlier run", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "swe-review-out-")), "a", "b");
    markRunFolder(dir, "generate", new Date("2026-01-01T00:00:00.000Z"));
    markRunFolder(dir, "review");
    const marker = JSON.parse(readFileSync(join(dir, RUN_FOLDER_MARKER), "utf8"));
    expect(marker).toMatchObject({ format: "swe-review-run", command: "generate" });
  });

  it("lives in the user's state folder: XDG_STATE_HOME, else ~/.local/state", () => {
    expect(stateDir({ XDG_STATE_HOME: "/x/state", HOME: "/home/u" })).toBe("/x/state/swe-review");
    expect(stateDir({ HOME: "/home/u" })).toBe("/home/u/.local/state/swe-review");
    expect(stateDir({ XDG_STATE_HOME: "", HOME: "/home/u" })).toBe("/home/u/.local/state/swe-review");
  });

  it("lays out every path a command writes into a run folder, at its depth", () => {
    const ours = [
      RUN_FOLDER_MARKER,
      // review, github review, the MCP server's review_patch
      "report.json",
      "trajectory.jsonl",
      "trajectory.html",
      "trajectories.html",
      // generate (an agent's trajectory above, or a command's log)
      "candidate.patch",
      "pr.json",
      "result.json",
      "generator.log",
      // loop (with --verify)
      "loop.json",
      "final.patch",
      "rounds/01-generation/candidate.patch",
      "rounds/01-generation/verify.log",
      "rounds/02-review/report.json",
      "rounds/02-review/trajectory.jsonl",
      "rounds/03-revision/pr.json",
      "rounds/104-revision/verify.json",
      // bench runs, revise, tts, score, and traj import
      "run.json",
      "revise.json",
      "summary.json",
      "report.html",
      `instances/${itemKey("django__django-11099@run 1/sample#2")}/candidate.json`,
      "instances/django__django-11099/report.json",
      "instances/x/trajectory.jsonl",
      "instances/x/result.json",
      "instances/x/verify.json",
      "instances/x/revision.json",
      "instances/x/revision/candidate.patch",
      "instances/x/revision/verify.log",
      "instances/x/loop/loop.json",
      "instances/x/loop/final.patch",
      "instances/x/loop/rounds/01-generation/result.json",
      "instances/x/loop/rounds/01-review/report.json",
      "instances/imported__2/trajectory.jsonl",
    ];
    expect(ours.filter((path) => !isRunFolderOutput(path))).toEqual([]);
    expect(RUN_FOLDER_LAYOUT.every(isRunFolderOutput)).toBe(false); // placeholders stand for names
    expect(RUN_FOLDER_LAYOUT).toContain("instances/<key>/loop/rounds/<NN>-review/report.json");
  });

  it("lays out nothing else: other names, other depths, other folders, no way out", () => {
    const others = [
      "",
      "evil.py",
      "index.ts",
      "payload.sh",
      ".github/workflows/ci.yml",
      "Report.json",
      "report.json.4242.tmp",
      "report.json/evil.py",
      "src/report.json",
      "feature/result.json",
      // bench items: only the item's own files, at the item's depth
      "instances/report.json",
      "instances/x/evil.py",
      "instances/x/y/report.json",
      "instances/x/revision/evil.py",
      "instances/x/revision/report.json",
      "instances/x/loop/run.json",
      "instances/x/loop/rounds/01-generation/evil.py",
      "instances/./report.json",
      "instances/../report.json",
      "instances/x/../../evil.py",
      "instances//report.json",
      "instances/a b/report.json",
      // rounds: numbered, of a kind, and a kind's own files
      "rounds/01-generation/evil.py",
      "rounds/1-generation/candidate.patch",
      "rounds/01-other/report.json",
      "rounds/01-review/candidate.patch",
      "rounds/01-generation/rounds/01-generation/candidate.patch",
      "rounds/candidate.patch",
    ];
    expect(others.filter(isRunFolderOutput)).toEqual([]);
  });

  it("agrees with what the writers write: run folders, bench runs and imported runs", () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-layout-"));
    const folder = newRunFolder(join(root, "runs"), "review");
    const bench = RunDir.open(join(root, "bench"), manifest());
    const candidate = "django__django-11099@sample/1";
    bench.writeResult(result(candidate, true, { key: itemKey(candidate) }));
    const imported = join(root, "imported");
    writeImportedRun(imported, [
      { name: "a/b", events: [], result: {}, dropped: 0 },
      { name: "a/b", events: [], result: {}, dropped: 0 },
    ]);
    expect(readdirSync(join(imported, "instances")).sort()).toEqual(["a_b", "a_b__2"]);
    for (const dir of [folder, bench.dir, imported]) expect(outsideRunFolderLayout(dir)).toEqual([]);
  });
});
