import { describeLogParser } from "../../../test/helpers/log-parser-cases.js";
import { parseMochaSpecLog } from "./mocha.js";

describeLogParser("parseMochaSpecLog", parseMochaSpecLog, {
  "names tests by their full title and does not read the failure details": {
    log: [
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
    ],
    statuses: {
      "Array #indexOf() returns -1 when absent": "PASSED",
      "Array #indexOf() finds [a b] - c": "FAILED",
      "Array #indexOf() pending one": "SKIPPED",
      "Array #map() maps": "PASSED",
      "top level": "PASSED",
    },
  },

  "reads a second run after other output in the first column": {
    log: ["  A", "    ✓ one", "  1 passing", "  1) A", "next command", "  B", "    1) two"],
    statuses: { "A one": "PASSED", "B two": "FAILED" },
  },
});
