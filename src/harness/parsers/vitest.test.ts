import { describeLogParser } from "../../../test/helpers/log-parser-cases.js";
import { parseVitestLog } from "./vitest.js";

describeLogParser("parseVitestLog", parseVitestLog, {
  "reads the verbose reporter: file > describe > title for every test": {
    log: [
      " RUN  v4.1.12 /tmp/vt",
      "",
      " \u001b[32m✓\u001b[39m a.test.ts\u001b[2m > \u001b[22msuite one\u001b[2m > \u001b[22mpasses\u001b[32m 1\u001b[2mms\u001b[22m\u001b[39m",
      " × a.test.ts > suite one > fails [with brackets] and spaces 4ms",
      "   → expected 1 to be 2 // Object.is equality",
      " ↓ a.test.ts > suite one > skipped one",
      " □ a.test.ts > suite one > todo one",
      " ✓ a.test.ts > suite one > nested > deep pass 0ms",
      " ✓ b.test.ts > b passes 1ms",
      "",
      " FAIL  a.test.ts > suite one > fails [with brackets] and spaces",
      " Test Files  1 failed | 1 passed (2)",
    ],
    statuses: {
      "a.test.ts > suite one > passes": "PASSED",
      "a.test.ts > suite one > fails [with brackets] and spaces": "FAILED",
      "a.test.ts > suite one > skipped one": "SKIPPED",
      "a.test.ts > suite one > todo one": "SKIPPED",
      "a.test.ts > suite one > nested > deep pass": "PASSED",
      "b.test.ts > b passes": "PASSED",
    },
  },

  "reads the default reporter: files, and the failed tests named in the failure report": {
    log: [
      " ❯ a.test.ts (6 tests | 1 failed | 1 skipped | 1 todo) 7ms",
      "     ✓ passes 1ms",
      "     × fails 4ms",
      " ✓ b.test.ts (1 test) 2ms",
      " FAIL  a.test.ts > suite one > fails",
      " ❯ a.test.ts:4:60",
    ],
    statuses: {
      "a.test.ts": "FAILED",
      "b.test.ts": "PASSED",
      "a.test.ts > suite one > fails": "FAILED",
    },
  },
});
