import { describeLogParser } from "../../../test/helpers/log-parser-cases.js";
import { parseDjangoLog } from "./django.js";

describeLogParser("parseDjangoLog", parseDjangoLog, {
  "reads runtests.py --verbosity 2 lines, docstring names and every outcome": {
    log: [
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
    ],
    statuses: {
      "test_a (expressions.tests.BasicTests)": "PASSED",
      "test_b (expressions.tests.BasicTests.test_b)": "FAILED",
      "test_c (expressions.tests.BasicTests)": "ERROR",
      "test_d (expressions.tests.BasicTests)": "SKIPPED",
      "test_e (expressions.tests.BasicTests)": "XFAIL",
      "test_f (expressions.tests.BasicTests)": "XPASS",
      "A docstring first line names this test.": "PASSED",
      "test_no_migrations (migrate.Tests)": "PASSED",
    },
  },

  "gives an outcome written after the test's own output to that test": {
    log: [
      "test_version (admin_scripts.tests.CommandTypes) ... Testing against Django installed in '/x'",
      "System check identified no issues (0 silenced).",
      "ok",
      "test_server (servers.tests.LiveServer) ...",
      "Internal Server Error: /x/",
      "ERROR",
      "ok",
    ],
    statuses: {
      "test_version (admin_scripts.tests.CommandTypes)": "PASSED",
      "test_server (servers.tests.LiveServer)": "ERROR",
    },
  },

  "keeps the last status when a test is reported twice, as SWE-bench's parser does": {
    log: [
      "test_a (app.tests.Case) ... FAIL",
      "test_b (app.tests.Case) ... ok",
      "test_a (app.tests.Case) ... ok",
      "test_b (app.tests.Case) ... ERROR",
    ],
    statuses: {
      "test_a (app.tests.Case)": "PASSED",
      "test_b (app.tests.Case)": "ERROR",
    },
  },
});
