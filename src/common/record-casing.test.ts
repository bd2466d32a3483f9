import { describe, expect, it } from "vitest";
import { camelCaseKeys, snakeCaseKeys } from "./record-casing.js";

const spec = {
  kind: "tts",
  generator: { baseUrl: "http://a/v1", timeoutSeconds: 60, envNames: ["OPENAI_API_KEY"] },
  repoOverrides: ["demo/inventory=/tmp/x"],
  retryDelayMs: 10_000,
  maxSteps: 20,
};

describe("record casing", () => {
  it("writes every key in snake_case, deeply, and leaves the values as they are", () => {
    expect(snakeCaseKeys(spec)).toEqual({
      kind: "tts",
      generator: { base_url: "http://a/v1", timeout_seconds: 60, env_names: ["OPENAI_API_KEY"] },
      repo_overrides: ["demo/inventory=/tmp/x"],
      retry_delay_ms: 10_000,
      max_steps: 20,
    });
  });

  it("reads a snake_case record back as it was, and an earlier camelCase one unchanged", () => {
    expect(camelCaseKeys(snakeCaseKeys(spec))).toEqual(spec);
    expect(camelCaseKeys(spec)).toEqual(spec);
  });
});
