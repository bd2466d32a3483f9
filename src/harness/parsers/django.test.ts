import { describe, expect, it } from "vitest";
import { parseDjangoLog } from "./django.js";

describe("parseDjangoLog", () => {
  it("reads runtests.py --verbosity 2 lines, docstring names and every outcome", () => {
    const log = [
      "Creating test database for alias 'default'...",
      "  Applying admin.0001_initial... OK",
      "test_a (expressions.tests.BasicTests) ... ok",
      "test_b (expressions.tests.BasicTests.test_b) ... FAIL",
      "test_c (expressions.tests.BasicTests) ... ERROR",
      "test_d (expressions.tests.BasicTests) ... skipped 'Database doesn't support feature(s): x'",
      "test_e (expressions.tests.BasicTests) ... expected failure",
      "test_f (expressions.tests.BasicTests) ... unexpected success",
      "A docstring first line names this test. ... ok",
      "Applying sites.0002_alter_domain_unique...test_no_migrations (migrate.Tests) ... ok",
      "",
      "======================================================================",
      "FAIL: test_b (expressions.tests.BasicTests.test_b)",
      "----------------------------------------------------------------------",
      "Ran 8 tests in 0.5s",
    ].join("\n");
    expect(Object.fromEntries(parseDjangoLog(log))).toEqual({
      "test_a (expressions.tests.BasicTests)": "PASSED",
      "test_b (expressions.tests.BasicTests.test_b)": "FAILED",
      "test_c (expressions.tests.BasicTests)": "ERROR",
      "test_d (expressions.tests.BasicTests)": "SKIPPED",
      "test_e (expressions.tests.BasicTests)": "XFAIL",
      "test_f (expressions.tests.BasicTests)": "XPASS",
      "A docstring first line names this test.": "PASSED",
      "test_no_migrations (migrate.Tests)": "PASSED",
    });
  });

  it("gives an outcome written after the test's own output to that test", () => {
    const log = [
      "test_version (admin_scripts.tests.CommandTypes) ... Testing against Django installed in '/x'",
      "System check identified no issues (0 silenced).",
      "ok",
      "test_server (servers.tests.LiveServer) ...",
      "Internal Server Error: /x/",
      "ERROR",
      "ok",
    ].join("\n");
    expect(Object.fromEntries(parseDjangoLog(log))).toEqual({
      "test_version (admin_scripts.tests.CommandTypes)": "PASSED",
      "test_server (servers.tests.LiveServer)": "ERROR",
    });
  });

  it("keeps the last status when a test is reported twice, as SWE-bench's parser does", () => {
    const log = [
      "test_a (app.tests.Case) ... FAIL",
      "test_b (app.tests.Case) ... ok",
      "test_a (app.tests.Case) ... ok",
      "test_b (app.tests.Case) ... ERROR",
    ].join("\n");
    expect(Object.fromEntries(parseDjangoLog(log))).toEqual({
      "test_a (app.tests.Case)": "PASSED",
      "test_b (app.tests.Case)": "ERROR",
    });
  });
});
