import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultPulledImagesPath, PulledImages } from "./pulled-images.js";

describe("PulledImages", () => {
  it("folds pulled and removed events per engine, skipping lines it cannot read", () => {
    const path = join(mkdtempSync(join(tmpdir(), "swe-review-pulled-")), "images", "pulled.jsonl");
    const records = new PulledImages(path);
    const at = new Date("2026-01-01T00:00:00Z");
    records.recordPulled("unix:///a.sock", "x/one:1", "sha256:1", at);
    records.recordPulled("unix:///b.sock", "x/one:1", "sha256:9", at);
    appendFileSync(path, '{"v":2,"event":"pulled","image":"future/format"}\n{"torn":\n');
    records.recordPulled("unix:///a.sock", "x/two:2", "sha256:2", at);
    records.recordRemoved("unix:///a.sock", "x/one:1", "sha256:1", at);
    expect(records.list("unix:///a.sock")).toEqual([
      { image: "x/two:2", id: "sha256:2", engine: "unix:///a.sock", pulledAt: "2026-01-01T00:00:00.000Z" },
    ]);
    expect(records.find("unix:///b.sock", "x/one:1")?.id).toBe("sha256:9");
    expect(records.list()).toHaveLength(2);
  });

  it("lives beside the repository cache", () => {
    expect(defaultPulledImagesPath({ XDG_CACHE_HOME: "/c" })).toBe("/c/swe-review/images/pulled.jsonl");
    expect(defaultPulledImagesPath({ HOME: "/h" })).toBe("/h/.cache/swe-review/images/pulled.jsonl");
  });
});
