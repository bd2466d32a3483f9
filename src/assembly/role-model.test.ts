import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../common/errors.js";
import { redactUrl } from "../common/redact-url.js";
import { loadConfig } from "../config/load.js";
import { recordedBaseUrl } from "./role-model.js";

const FULL = "http://swe:pass-0001@10.0.0.5:8000/v1?api-key=key-0002";

function configWith(baseUrl?: string) {
  const home = mkdtempSync(join(tmpdir(), "swe-review-role-"));
  return loadConfig({
    env: {},
    homeDir: home,
    cwd: home,
    ...(baseUrl ? { flags: { model: { baseUrl } } } : {}),
  }).config;
}

describe("recordedBaseUrl (a base URL read back from a run's record)", () => {
  it("uses a recorded URL without credentials as it is", () => {
    expect(recordedBaseUrl("REVIEWER", "http://10.0.0.5:8000/v1", configWith())).toBe(
      "http://10.0.0.5:8000/v1",
    );
    expect(recordedBaseUrl("REVIEWER", undefined, configWith())).toBeUndefined();
  });

  it("restores the credentials from this process: the role's variable, else the same configured endpoint", () => {
    const recorded = redactUrl(FULL);
    expect(recordedBaseUrl("REVIEWER", recorded, configWith(FULL), {})).toBe(FULL);
    const moved = "http://swe:pass-0001@10.0.0.9:9000/v1";
    expect(
      recordedBaseUrl("GENERATOR", recorded, configWith(), { SWE_REVIEW_GENERATOR_BASE_URL: moved }),
    ).toBe(moved);
  });

  it("refuses, naming the variable to set, when this process has no full URL for it", () => {
    const recorded = redactUrl(FULL);
    const attempt = () => recordedBaseUrl("REVIEWER", recorded, configWith("http://other:1/v1"), {});
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/SWE_REVIEW_REVIEWER_BASE_URL/);
  });
});
