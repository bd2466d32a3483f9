import { describe, expect, it } from "vitest";
import { CliUsageSchema, jsonLines } from "./agent-cli.js";

describe("what an agent CLI prints", () => {
  it("is read line by line: JSON lines in order, warnings and broken lines skipped", () => {
    expect(jsonLines('warning: x\n{"a":1}\n{broken\n[2]\r\n  {"b":true}  \n')).toEqual([
      { a: 1 },
      [2],
      { b: true },
    ]);
  });

  it("gives usage only in range: whole token counts up to 2^53, a finite cost; nulls where not reported", () => {
    const report = {
      inputTokens: 10,
      outputTokens: 2,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      costUsd: 0.25,
    };
    expect(CliUsageSchema.safeParse(report).success).toBe(true);
    for (const bad of [
      { inputTokens: -1 },
      { outputTokens: 1.5 },
      { cacheReadTokens: 2 ** 60 },
      { costUsd: Number.POSITIVE_INFINITY },
      { costUsd: -0.01 },
      { inputTokens: Number.NaN },
    ]) {
      expect(CliUsageSchema.safeParse({ ...report, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
