import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keepReviseSpec, type ReviseSpec, readReviseSpec } from "./revise-spec.js";
import { RunDir } from "./run-dir-writer.js";

const spec: ReviseSpec = {
  generator: { timeoutSeconds: 600, network: false, envNames: [] },
  maxSteps: 40,
  verifyTimeoutSeconds: 900,
  repoOverrides: ["demo/inventory=/clones/inventory"],
  attempts: 2,
  retryDelayMs: 5_000,
};

function run(): RunDir {
  const dir = mkdtempSync(join(tmpdir(), "swe-review-revise-spec-"));
  return RunDir.open(dir, {
    kind: "review",
    dataset: { path: "split", fingerprint: "sha256:0", items: 1 },
    settings: {},
  });
}

describe("revise.json", () => {
  it("is kept in snake_case and read back as the spec it was", () => {
    const dir = run();
    keepReviseSpec(dir, spec);
    const stored = JSON.parse(readFileSync(join(dir.dir, "revise.json"), "utf8"));
    expect(stored).toMatchObject({
      max_steps: 40,
      verify_timeout_seconds: 900,
      repo_overrides: ["demo/inventory=/clones/inventory"],
      generator: { timeout_seconds: 600, env_names: [] },
    });
    expect(readReviseSpec(dir)).toEqual(spec);
  });

  it("written in camelCase by an earlier release, still reads, and counts as the same settings", () => {
    const dir = run();
    writeFileSync(join(dir.dir, "revise.json"), JSON.stringify(spec));
    expect(readReviseSpec(dir)).toEqual(spec);
    expect(() => keepReviseSpec(dir, spec)).not.toThrow();
    expect(() => keepReviseSpec(dir, { ...spec, maxSteps: 10 })).toThrow(/other settings/);
  });
});
