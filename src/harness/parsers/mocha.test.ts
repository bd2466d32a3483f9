import { describe, expect, it } from "vitest";
import { parseMochaSpecLog } from "./mocha.js";

describe("parseMochaSpecLog", () => {
  it("names tests by their full title and does not read the failure details", () => {
    const log = [
      "> pkg@1.0.0 test",
      "> mocha",
      "",
      "",
      "  Array",
      "    #indexOf()",
      "      ✔ returns -1 when absent (5ms)",
      "      1) finds [a b] - c",
      "      - pending one",
      "    #map()",
      "      ✓ maps",
      "  ✔ top level",
      "",
      "  3 passing (12ms)",
      "  1 pending",
      "  1 failing",
      "",
      "  1) Array",
      "       #indexOf()",
      "         finds [a b] - c:",
      "     AssertionError: expected 1 to equal 2",
      "      + expected - actual",
    ].join("\n");
    expect(Object.fromEntries(parseMochaSpecLog(log))).toEqual({
      "Array #indexOf() returns -1 when absent": "PASSED",
      "Array #indexOf() finds [a b] - c": "FAILED",
      "Array #indexOf() pending one": "SKIPPED",
      "Array #map() maps": "PASSED",
      "top level": "PASSED",
    });
  });

  it("reads a second run after other output in the first column", () => {
    const log = ["  A", "    ✓ one", "  1 passing", "  1) A", "next command", "  B", "    1) two"].join("\n");
    expect(Object.fromEntries(parseMochaSpecLog(log))).toEqual({ "A one": "PASSED", "B two": "FAILED" });
  });
});
