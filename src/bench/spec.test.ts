import { describe, expect, it } from "vitest";
import { type RunSpec, RunSpecReadSchema, runSpecRecord } from "./spec.js";

const spec: RunSpec = {
  kind: "tts",
  dataset: { path: "split", instances: ["demo__inventory-1"] },
  strategy: "iterative",
  budget: 3,
  noVerdict: "reject",
  fallback: "last",
  fromPrevious: true,
  generator: { baseUrl: "http://a/v1", timeoutSeconds: 600, network: false, envNames: ["GH_TOKEN"] },
  reviewer: { name: "SWE-Review-30B-A3B" },
  verify: true,
  verifyTimeoutSeconds: 900,
  maxSteps: 40,
  repoOverrides: ["demo/inventory=/clones/inventory"],
  attempts: 3,
  retryDelayMs: 10_000,
};

describe("a run spec in run.json", () => {
  it("is written in snake_case and reads back as the spec it was", () => {
    const record = runSpecRecord(spec);
    expect(record).toMatchObject({
      no_verdict: "reject",
      from_previous: true,
      generator: { base_url: "http://a/v1", timeout_seconds: 600, env_names: ["GH_TOKEN"] },
      verify_timeout_seconds: 900,
      repo_overrides: ["demo/inventory=/clones/inventory"],
      retry_delay_ms: 10_000,
    });
    expect(JSON.stringify(record)).not.toMatch(/"[a-z]+[A-Z]\w*":/);
    expect(RunSpecReadSchema.parse(JSON.parse(JSON.stringify(record)))).toEqual(spec);
  });

  it("written in camelCase by an earlier release, still reads", () => {
    expect(RunSpecReadSchema.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });
});
