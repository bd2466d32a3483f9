import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunDir } from "./run-dir-writer.js";

const dataset = { path: "/data/split", fingerprint: "abc", items: 3 };

function settings(baseUrl: string, reviewer = "SWE-Review-30B-A3B", clone = "/src/sympy") {
  return {
    spec: {
      kind: "review",
      dataset: { path: "/data/split" },
      mode: "agentic",
      reviewer: { baseUrl },
      repoOverrides: [`sympy/sympy=${clone}`],
      attempts: 3,
    },
    reviewer: { name: reviewer, provider: "openai" },
  };
}

describe("RunDir.open", () => {
  it("resumes a run served from elsewhere and records where, so queue workers use it too", () => {
    const dir = mkdtempSync(join(tmpdir(), "swe-review-rundir-"));
    const first = RunDir.open(dir, { kind: "review", dataset, settings: settings("http://a:8000/v1") });
    const moved = RunDir.open(dir, {
      kind: "review",
      dataset,
      settings: settings("http://b:9000/v1", "SWE-Review-30B-A3B", "/mnt/clones/sympy"),
    });
    expect(moved.manifest.run_id).toBe(first.manifest.run_id);
    const stored = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    expect(stored.settings.spec.reviewer.baseUrl).toBe("http://b:9000/v1");
    expect(stored.settings.spec.repoOverrides).toEqual(["sympy/sympy=/mnt/clones/sympy"]);
    expect(RunDir.existing(dir).manifest.settings).toEqual(stored.settings);
  });

  it("refuses another reviewer, even one that only the configuration names", () => {
    const dir = mkdtempSync(join(tmpdir(), "swe-review-rundir-"));
    RunDir.open(dir, { kind: "review", dataset, settings: settings("http://a:8000/v1") });
    expect(() =>
      RunDir.open(dir, { kind: "review", dataset, settings: settings("http://a:8000/v1", "GLM-5") }),
    ).toThrow(/other settings.*use another --run-dir/);
    expect(() =>
      RunDir.open(dir, {
        kind: "review",
        dataset: { ...dataset, fingerprint: "def" },
        settings: settings("x"),
      }),
    ).toThrow(/different dataset/);
    expect(() => RunDir.open(dir, { kind: "tts", dataset, settings: settings("x") })).toThrow(
      /holds a 'review' run, not 'tts'/,
    );
  });

  it("records a credentialed URL redacted, and takes a run whose server changed credentials as the same run", () => {
    const dir = mkdtempSync(join(tmpdir(), "swe-review-rundir-"));
    const first = RunDir.open(dir, {
      kind: "review",
      dataset,
      settings: settings("http://u:pass-0001@a:8000/v1?api-key=key-0002"),
    });
    const text = readFileSync(join(dir, "run.json"), "utf8");
    expect(text).not.toMatch(/pass-0001|key-0002/);
    expect(first.manifest.settings).toMatchObject({
      spec: { reviewer: { baseUrl: "http://[REDACTED]@a:8000/v1?api-key=[REDACTED]" } },
    });
    const again = RunDir.open(dir, {
      kind: "review",
      dataset,
      settings: settings("http://u:pass-0003@a:8000/v1?api-key=key-0004"),
    });
    expect(again.manifest.run_id).toBe(first.manifest.run_id);
    expect(readFileSync(join(dir, "run.json"), "utf8")).not.toMatch(/pass-000|key-000/);
  });
});
