import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { REDACTED } from "./secrets.js";

describe("createLogger", () => {
  it("scrubs known secrets and URL credentials from every part of a line: message, fields, error causes", () => {
    const lines: string[] = [];
    const logger = createLogger("debug", {
      destination: { write: (line: string) => lines.push(line) },
      secrets: ["sk-known-secret-1"],
    });
    const cause = new Error("server said: bad key sk-known-secret-1");
    logger.warn(
      { err: new Error("wrapped", { cause }), url: "http://u:unknown-pass@h:1/v1?token=t0k" },
      "calling http://u:unknown-pass@h:1/v1 with sk-known-secret-1",
    );
    logger.info({ apiKey: "sk-structural-1" }, "structural");
    const text = lines.join("");
    for (const secret of ["sk-known-secret-1", "unknown-pass", "t0k", "sk-structural-1"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(`server said: bad key ${REDACTED}`);
    const [first] = lines.map((line) => JSON.parse(line));
    expect(first.msg).toBe(`calling http://${REDACTED}@h:1/v1 with ${REDACTED}`);
    expect(first.url).toBe(`http://${REDACTED}@h:1/v1?token=${REDACTED}`);
  });
});
