import { describe, expect, it } from "vitest";
import { isRedactedUrl, isSecretParam, REDACTED, redactUrl, redactUrlsIn, urlSecrets } from "./redact-url.js";

describe("redactUrl", () => {
  it("takes out the userinfo and the values of key-like parameters, and keeps everything else as written", () => {
    expect(
      redactUrl("http://user:sk-pass@127.0.0.1:8000/v1?api-key=sk-q&api-version=2024-10-01&model=x#frag"),
    ).toBe(`http://${REDACTED}@127.0.0.1:8000/v1?api-key=${REDACTED}&api-version=2024-10-01&model=x#frag`);
    // A token as the user name (GitHub), a password with an encoded @, no path.
    expect(redactUrl("https://ghp_abcdef123456@github.com/o/r.git")).toBe(
      `https://${REDACTED}@github.com/o/r.git`,
    );
    expect(redactUrl("redis://:p%40ss@host:6379")).toBe(`redis://${REDACTED}@host:6379`);
    // Signed URLs (S3, Azure SAS) and OAuth fragments.
    expect(
      redactUrl("https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA&X-Amz-Signature=abc&X-Amz-Expires=60"),
    ).toBe(
      `https://b.s3.amazonaws.com/k?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}&X-Amz-Expires=60`,
    );
    expect(redactUrl("https://a.blob.core.windows.net/c?sv=2022&sig=abc%2Bdef")).toBe(
      `https://a.blob.core.windows.net/c?sv=2022&sig=${REDACTED}`,
    );
    expect(redactUrl("https://app/cb#access_token=xyz&state=1")).toBe(
      `https://app/cb#access_token=${REDACTED}&state=1`,
    );
  });

  it("leaves URLs without credentials, and text that is not a URL, exactly as given", () => {
    for (const url of [
      "http://localhost:8000/v1",
      "http://localhost:8000",
      "https://api.openai.com/v1/?max_tokens=5&author=me",
      "not a url",
      "/path/to/file",
      "",
    ]) {
      expect(redactUrl(url)).toBe(url);
    }
  });

  it("is idempotent, so a recorded URL compares equal to the redaction of the full one", () => {
    const url = "http://u:p@h:1/v1?key=abc&x=1";
    expect(redactUrl(redactUrl(url))).toBe(redactUrl(url));
    expect(isRedactedUrl(redactUrl(url))).toBe(true);
    expect(isRedactedUrl("http://h:1/v1?x=1")).toBe(false);
  });
});

describe("isSecretParam", () => {
  it("knows key-like names in every spelling, and not ordinary words that contain them", () => {
    for (const name of [
      "api-key",
      "api_key",
      "apiKey",
      "apikey",
      "key",
      "token",
      "access_token",
      "client_secret",
      "password",
      "sig",
      "X-Amz-Security-Token",
      "auth",
    ]) {
      expect(isSecretParam(name), name).toBe(true);
    }
    for (const name of ["api-version", "max_tokens", "author", "keyword", "model", "tokenizer", "monkey"]) {
      expect(isSecretParam(name), name).toBe(false);
    }
  });
});

describe("redactUrlsIn", () => {
  it("redacts every URL in a sentence, keeping the punctuation after it", () => {
    expect(
      redactUrlsIn("Cannot reach http://u:sk-1@h:1/v1?api-key=sk-2: refused. See (https://t@x.io/a)."),
    ).toBe(
      `Cannot reach http://${REDACTED}@h:1/v1?api-key=${REDACTED}: refused. See (https://${REDACTED}@x.io/a).`,
    );
  });

  it("keeps a JSON line valid: a URL ends at the quote or escape after it", () => {
    const line = JSON.stringify({ baseUrl: "http://u:pw@h/v1?token=t", note: 'said "http://a:b@c"\nok' });
    const redacted = redactUrlsIn(line);
    expect(JSON.parse(redacted)).toEqual({
      baseUrl: `http://${REDACTED}@h/v1?token=${REDACTED}`,
      note: `said "http://${REDACTED}@c"\nok`,
    });
  });
});

describe("urlSecrets", () => {
  it("lists the credential values as written and decoded", () => {
    expect(urlSecrets("http://us%40er:p%2Fss@h/v1?api-key=a%2Bb&v=1").sort()).toEqual(
      ["us%40er:p%2Fss", "us@er:p/ss", "us%40er", "us@er", "p%2Fss", "p/ss", "a%2Bb", "a+b"].sort(),
    );
    expect(urlSecrets("http://h/v1")).toEqual([]);
    expect(urlSecrets(undefined)).toEqual([]);
  });
});
