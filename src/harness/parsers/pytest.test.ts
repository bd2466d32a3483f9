import { describe, expect, it } from "vitest";
import { describeLogParser } from "../../../test/helpers/log-parser-cases.js";
import { leadingNodeId, parsePytestLog } from "./pytest.js";

const statuses = (log: string, options = {}) => Object.fromEntries(parsePytestLog(log, options));

describeLogParser("parsePytestLog", parsePytestLog, {
  "reads the -rA short summary, keeping parametrized ids with spaces, brackets and ' - ' whole": {
    log: [
      "============================= test session starts ==============================",
      "collected 9 items",
      "",
      "test_a.py .F..xXsE                                                     [100%]",
      "=========================== short test summary info ============================",
      "PASSED test_a.py::test_p[a b]",
      "PASSED test_a.py::test_p[e[f]]",
      "PASSED test_a.py::test_ok",
      "SKIPPED [1] test_a.py:10: nope",
      "XFAIL test_a.py::test_xf - known bug",
      "XPASS test_a.py::test_xp - fixed now",
      "ERROR test_a.py::test_err - RuntimeError: fixture boom",
      "FAILED test_a.py::test_p[c - d] - AssertionError: assert 'c - d' != 'c - d'",
      "==== 1 failed, 3 passed, 1 skipped, 1 xfailed, 1 xpassed, 1 error in 0.53s =====",
    ],
    statuses: {
      "test_a.py::test_p[a b]": "PASSED",
      "test_a.py::test_p[e[f]]": "PASSED",
      "test_a.py::test_ok": "PASSED",
      "test_a.py::test_xf": "XFAIL",
      "test_a.py::test_xp": "XPASS",
      "test_a.py::test_err": "ERROR",
      "test_a.py::test_p[c - d]": "FAILED",
    },
  },

  "records a collection error under the file, and the file's tests are absent": {
    log: [
      "collected 9 items / 1 error",
      "==================================== ERRORS ====================================",
      "__________________________ ERROR collecting test_b.py __________________________",
      "E   ModuleNotFoundError: No module named 'nonexistent_module_xyz'",
      "=========================== short test summary info ============================",
      "ERROR test_b.py",
      "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
    ],
    statuses: { "test_b.py": "ERROR" },
  },

  "reads -v progress lines, with or without percentages and reasons": {
    log: [
      "astropy/io/tests/test_x.py::test_a PASSED                                [ 33%]",
      "astropy/io/tests/test_x.py::test_b[x y] FAILED",
      "astropy/io/tests/test_x.py::test_c XFAIL (needs a fix)                   [100%]",
      "astropy/io/tests/test_x.py::test_d SKIPPED (no network)",
    ],
    statuses: {
      "astropy/io/tests/test_x.py::test_a": "PASSED",
      "astropy/io/tests/test_x.py::test_b[x y]": "FAILED",
      "astropy/io/tests/test_x.py::test_c": "XFAIL",
      "astropy/io/tests/test_x.py::test_d": "SKIPPED",
    },
  },

  "keeps the last status when a test is reported twice, as SWE-bench's parsers do": {
    log: [
      "PASSED t.py::test_a",
      "ERROR t.py::test_a - teardown failed",
      "PASSED t.py::test_b",
      "FAILED t.py::test_c",
      "PASSED t.py::test_c",
    ],
    statuses: {
      "t.py::test_a": "ERROR",
      "t.py::test_b": "PASSED",
      "t.py::test_c": "PASSED",
    },
  },

  "reads pytest 7's 'XPASS id reason' form and ignores ANSI colours and words that only look like statuses": {
    log: [
      "XPASS t.py::test_x[a b] reason text here",
      "\u001b[32mPASSED\u001b[0m t.py::test_coloured",
      "PASSED",
      "ERROR: file or directory not found: t2.py",
      "PASSEDx t.py::test_not",
    ],
    statuses: { "t.py::test_x[a b]": "XPASS", "t.py::test_coloured": "PASSED" },
  },
});

describe("parsePytestLog with options", () => {
  it("keeps the last status of a duplicate name in the short-paths and matplotlib variants too", () => {
    const shortened = "FAILED t.py::test_f[/tmp/a/x.txt]\nPASSED t.py::test_f[/other/dir/x.txt]";
    expect(statuses(shortened, { shortenPathParams: true })).toEqual({ "t.py::test_f[/x.txt]": "PASSED" });
    const replaced = "PASSED t.py::test_m[MouseButton.LEFT]\nFAILED t.py::test_m[1]";
    expect(statuses(replaced, { replacements: [["MouseButton.LEFT", "1"]] })).toEqual({
      "t.py::test_m[1]": "FAILED",
    });
  });

  it("shortens absolute-path parameters and applies replacements when asked", () => {
    const log = "PASSED tests/test_r.py::test_file[/tmp/pytest-1/data/x.txt]\nPASSED t.py::test_k[//net]";
    expect(statuses(log, { shortenPathParams: true })).toEqual({
      "tests/test_r.py::test_file[/x.txt]": "PASSED",
      "t.py::test_k[//net]": "PASSED",
    });
    expect(
      statuses("PASSED lib/test_w.py::test_click[MouseButton.LEFT-x]", {
        replacements: [["MouseButton.LEFT", "1"]],
      }),
    ).toEqual({ "lib/test_w.py::test_click[1-x]": "PASSED" });
  });
});

describe("leadingNodeId", () => {
  it("ends the id at the first space outside brackets, or at ' - ' when brackets do not balance", () => {
    expect(leadingNodeId("t.py::test[a - b] - boom")).toBe("t.py::test[a - b]");
    expect(leadingNodeId("t.py::test[[] - boom")).toBe("t.py::test[[]");
    expect(leadingNodeId("t.py::test")).toBe("t.py::test");
  });
});
