import { describeLogParser } from "../../../test/helpers/log-parser-cases.js";
import { parseJestLog } from "./jest.js";

describeLogParser("parseJestLog", parseJestLog, {
  "names files by path and tests by file:title, and fails a suite that fails in any of several runs": {
    log: [
      "> dayjs@1.8.0 test",
      "> TZ=Pacific/Auckland npm run test-tz && TZ=Europe/London npm run test-tz && jest",
      "PASS test/timezone.test.js",
      "  ✓ Add Time days (DST) (5 ms)",
      "  ✓ Utc Offset (1 ms)",
      "FAIL test/timezone.test.js",
      "  ✓ Add Time days (DST) (4 ms)",
      "  ✕ Utc Offset (3 ms)",
      "  ● Utc Offset",
      "    expect(received).toBe(expected)",
      "PASS test/plugin.test.js",
      "FAIL test/parse.test.js (5.123 s)",
      "  Parse",
      "    ✓ parses ISO [with brackets] (3 ms)",
      "    ○ skipped not yet",
      "    ✎ todo later",
      "Tests:       1 failed, 60 passed, 61 total",
    ],
    statuses: {
      "test/timezone.test.js": "FAILED",
      "test/timezone.test.js:Add Time days (DST)": "PASSED",
      "test/timezone.test.js:Utc Offset": "FAILED",
      "test/plugin.test.js": "PASSED",
      "test/parse.test.js": "FAILED",
      "test/parse.test.js:parses ISO [with brackets]": "PASSED",
      "test/parse.test.js:not yet": "SKIPPED",
      "test/parse.test.js:later": "SKIPPED",
    },
  },

  "ignores test marks before any suite line and strips colours": {
    log: ["  ✓ orphan (1 ms)", "\u001b[30;42mPASS\u001b[39;49m test/a.test.js", "  √ windows mark"],
    statuses: {
      "test/a.test.js": "PASSED",
      "test/a.test.js:windows mark": "PASSED",
    },
  },
});
