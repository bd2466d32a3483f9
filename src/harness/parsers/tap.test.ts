import { describeLogParser } from "../../../test/helpers/log-parser-cases.js";
import { parseTapLog } from "./tap.js";

describeLogParser("parseTapLog", parseTapLog, {
  "reads node --test output: nested subtests, directives, YAML blocks": {
    log: [
      "TAP version 13",
      "# Subtest: suite one",
      "    # Subtest: passes",
      "    ok 1 - passes",
      "      ---",
      "      duration_ms: 0.5",
      "      ...",
      "    # Subtest: fails [x] - y",
      "    not ok 2 - fails [x] - y",
      "      ---",
      "      error: 'ok 3 - this is not a test point'",
      "      ...",
      "    # Subtest: skipped one",
      "    ok 3 - skipped one # SKIP",
      "    # Subtest: todo one",
      "    not ok 4 - todo one # TODO not done",
      "    # Subtest: nested",
      "        # Subtest: deep pass",
      "        ok 1 - deep pass",
      "        1..1",
      "    ok 5 - nested",
      "    1..5",
      "not ok 1 - suite one",
      "# Subtest: top level",
      "ok 2 - top level",
      "1..2",
      "# tests 6",
    ],
    statuses: {
      "suite one > passes": "PASSED",
      "suite one > fails [x] - y": "FAILED",
      "suite one > skipped one": "SKIPPED",
      "suite one > todo one": "XFAIL",
      "suite one > nested > deep pass": "PASSED",
      "suite one > nested": "PASSED",
      "suite one": "FAILED",
      "top level": "PASSED",
    },
  },

  "reads Mocha's flat TAP, with escaped # in a description": {
    log: ["1..3", "ok 1 Array #indexOf() returns -1", "not ok 2 Array \\# sign", "ok 3 pending # skip"],
    statuses: {
      "Array #indexOf() returns -1": "PASSED",
      "Array # sign": "FAILED",
      pending: "SKIPPED",
    },
  },
});
