import { describe, expect, it } from "vitest";
import {
  REDACTED,
  redactRecord,
  SecretScrubber,
  secretValuesFromArgs,
  secretValuesFromEnv,
  secretValuesFromOptions,
} from "./secrets.js";

describe("redactRecord", () => {
  it("redacts keys that name secrets but not token counters", () => {
    const out = redactRecord({
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

describe("redactRecord and URLs", () => {
  it("redacts the credentials of URLs anywhere in a record", () => {
    expect(
      redactRecord({
        model: { baseUrl: "http://u:sk-pass-123@h:1/v1?api-key=sk-q-1234", apiKey: "sk-1234567890" },
        spec: { reviewer: { baseUrl: "http://h:2/v1" }, notes: ["see https://tok123456@git.example/r"] },
      }),
    ).toEqual({
      model: { baseUrl: `http://${REDACTED}@h:1/v1?api-key=${REDACTED}`, apiKey: REDACTED },
      spec: { reviewer: { baseUrl: "http://h:2/v1" }, notes: [`see https://${REDACTED}@git.example/r`] },
    });
  });
});

describe("SecretScrubber on text that quotes secrets", () => {
  it("finds a value as written, percent-encoded and JSON-escaped, and takes credentials out of URLs", () => {
    const secret = 'sk-live/with"quote';
    const scrubber = new SecretScrubber([secret]);
    const text = `key ${secret}; in a URL ${encodeURIComponent(secret)}; in JSON ${JSON.stringify({ secret })}`;
    const out = scrubber.scrub(text);
    expect(out).not.toContain("sk-live");
    expect(out).toBe(`key ${REDACTED}; in a URL ${REDACTED}; in JSON {"secret":"${REDACTED}"}`);
    expect(scrubber.scrub("at http://user:short@h/v1")).toBe(`at http://${REDACTED}@h/v1`);
  });

  it("scrubs a JSON value whole and keeps it valid", () => {
    const scrubber = new SecretScrubber(["sk-echoed-123456"]);
    expect(
      scrubber.scrubJson({ error: { message: "bad key sk-echoed-123456 at http://a:b@h/v1" }, n: 1 }),
    ).toEqual({ error: { message: `bad key ${REDACTED} at http://${REDACTED}@h/v1` }, n: 1 });
  });
});

describe("secret values a process was given", () => {
  it("takes URL credentials from any environment variable", () => {
    expect(
      secretValuesFromEnv({
        SWE_REVIEW_BASE_URL: "http://user:url-password-1@h/v1?api-key=query-key-1",
        HTTPS_PROXY: "http://proxyuser:proxy-pass-1@proxy:3128",
        HOME: "/root",
      }),
    ).toEqual(
      expect.arrayContaining(["url-password-1", "query-key-1", "proxy-pass-1", "user:url-password-1"]),
    );
  });

  it("takes secret-named options and URL credentials from a command's options", () => {
    const values = secretValuesFromOptions({
      apiKey: "sk-flag-123456",
      reviewerApiKey: "sk-reviewer-123456",
      reviewerBaseUrl: "http://r:reviewer-pass@h/v1",
      queue: "redis://:redis-pass-123@h:6379/0",
      repo: ["o/n=https://tok-in-list-123@git/x"],
      maxTokens: "12345678901",
      model: "some-model-name",
    });
    expect(values).toEqual(
      expect.arrayContaining([
        "sk-flag-123456",
        "sk-reviewer-123456",
        "reviewer-pass",
        "redis-pass-123",
        "tok-in-list-123",
      ]),
    );
    expect(values).not.toContain("12345678901");
    expect(values).not.toContain("some-model-name");
  });

  it("reads a raw command line: secret flags in both spellings, and every URL's credentials", () => {
    const values = secretValuesFromArgs([
      "node",
      "cli.js",
      "--api-key",
      "sk-spaced-123456",
      "--reviewer-api-key=sk-inline-123456",
      "--base-url",
      "http://u:argv-pass-1@h/v1",
      "--max-tokens",
      "12345678901",
    ]);
    expect(values).toEqual(expect.arrayContaining(["sk-spaced-123456", "sk-inline-123456", "argv-pass-1"]));
    expect(values).not.toContain("12345678901");
  });
});
