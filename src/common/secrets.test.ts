import { describe, expect, it } from "vitest";
import { REDACTED, redactSecretKeys, SecretScrubber, secretValuesFromEnv } from "./secrets.js";

describe("redactSecretKeys", () => {
  it("redacts keys that name secrets but not token counters", () => {
    const out = redactSecretKeys({
      model: { apiKey: "sk-live-1234567890", name: "m", maxTokens: 100 },
      headers: { Authorization: "Bearer abc" },
      usage: { promptTokens: 5, completionTokens: 6 },
      githubToken: "ghp_123456789",
    });
    expect(out).toEqual({
      model: { apiKey: REDACTED, name: "m", maxTokens: 100 },
      headers: { Authorization: REDACTED },
      usage: { promptTokens: 5, completionTokens: 6 },
      githubToken: REDACTED,
    });
  });
});

describe("SecretScrubber", () => {
  it("replaces every occurrence of known secret values, longest first", () => {
    const scrubber = new SecretScrubber(["sk-abcdefgh", "sk-abcdefgh-longer", "short"]);
    expect(scrubber.scrub("OPENAI_API_KEY=sk-abcdefgh-longer and sk-abcdefgh; short")).toBe(
      `OPENAI_API_KEY=${REDACTED} and ${REDACTED}; short`,
    );
  });

  it("finds secret values in the environment by variable name", () => {
    const values = secretValuesFromEnv({
      OPENAI_API_KEY: "sk-0123456789",
      GITHUB_TOKEN: "ghp_abcdefgh",
      PATH: "/usr/bin:/bin",
    });
    expect(values.sort()).toEqual(["ghp_abcdefgh", "sk-0123456789"]);
  });
});
