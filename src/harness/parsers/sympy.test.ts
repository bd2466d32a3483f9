import { describeLogParser } from "../../../test/helpers/log-parser-cases.js";
import { parseSympyLog } from "./sympy.js";

describeLogParser("parseSympyLog", parseSympyLog, {
  "reads every outcome letter, including a file's last test with its [OK]/[FAIL] verdict": {
    log: [
      "============================= test process starts ==============================",
      "sympy/printing/tests/test_mathematica.py[9] ",
      "test_Integer ok",
      "test_Pow F",
      "test_Mul E",
      "test_latex_failing f",
      "test_missing_in_2X X",
      "test_pinv Slow w",
      "test_skip s",
      "test_hang T",
      "test_Sum ok                                                               [FAIL]",
      "sympy/core/tests/test_basic.py[1] ",
      "test_last f                                                                 [OK]",
      "",
      "________________________________________________________________________________",
      "______________ sympy/printing/tests/test_mathematica.py:test_Pow _______________",
      "AssertionError",
      "============= tests finished: 3 passed, 2 failed, in 0.08 seconds ==============",
    ],
    statuses: {
      test_Integer: "PASSED",
      test_Pow: "FAILED",
      test_Mul: "ERROR",
      test_latex_failing: "XFAIL",
      test_missing_in_2X: "XPASS",
      test_pinv: "SKIPPED",
      test_skip: "SKIPPED",
      test_hang: "ERROR",
      test_Sum: "PASSED",
      test_last: "XFAIL",
    },
  },

  "reads an outcome that a test's own output pushed onto a later line, and a traceback header whose line was lost":
    {
      log: [
        "test_prints",
        "some output the test printed",
        "ok",
        "test_garbled_outputF",
        "________________ sympy/core/tests/test_x.py:test_garbled _________________",
      ],
      statuses: { test_prints: "PASSED", test_garbled: "FAILED" },
    },

  "keeps the last status when two files have a test of the same name, as SWE-bench's parser does": {
    log: [
      "sympy/core/tests/test_a.py[1] ",
      "test_same F                                                                 [FAIL]",
      "sympy/core/tests/test_b.py[2] ",
      "test_same ok",
      "test_other ok                                                                 [OK]",
    ],
    statuses: { test_same: "PASSED", test_other: "PASSED" },
  },
});
