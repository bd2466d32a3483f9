import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { markRunFolder, newRunFolder, RUN_FOLDER_MARKER, RunFolderMarkerSchema } from "./run-folder.js";
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
});
