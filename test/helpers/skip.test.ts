import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { missingSharedData } from "./shared-data.js";
import { skipReasons, skipTitle, unless } from "./skip.js";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("skip reasons", () => {
  it("leave a title alone when nothing is missing, and name and print the reason when something is", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(skipTitle("a group", undefined)).toBe("a group");
    expect(log).not.toHaveBeenCalled();
    expect(skipTitle("a group", "bubblewrap is not installed")).toBe(
      "a group (skipped: bubblewrap is not installed)",
    );
    expect(log).toHaveBeenCalledWith("skipped: a group — bubblewrap is not installed");
  });

  it("give a reason only for a condition that does not hold, and join every reason given", () => {
    expect(unless(true, "x")).toBeUndefined();
    expect(unless("", "x")).toBe("x");
    expect(skipReasons(undefined, undefined)).toBeUndefined();
    expect(skipReasons("a", undefined, "b")).toBe("a; b");
  });

  it("name the shared data files that are missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "swe-review-skip-"));
    mkdirSync(join(dir, "eval-logs"));
    writeFileSync(join(dir, "eval-logs", "index.jsonl"), "");
    vi.stubEnv("SWE_REVIEW_SHARED_DATA", dir);
    expect(missingSharedData("eval-logs/index.jsonl")).toBeUndefined();
    expect(missingSharedData("eval-logs/index.jsonl", "swe-bench-lite/instances.jsonl")).toBe(
      `missing from the shared real data (${dir}): swe-bench-lite/instances.jsonl`,
    );
    vi.stubEnv("SWE_REVIEW_SHARED_DATA", join(dir, "absent"));
    expect(missingSharedData("eval-logs/index.jsonl")).toMatch(/^no shared real data/);
  });
});
