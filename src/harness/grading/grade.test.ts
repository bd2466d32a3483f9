import { describe, expect, it } from "vitest";
import { gradeLog, gradeStatuses, gradeTestRun, resolutionOf, type TestRun } from "./grade.js";
import { defuseMarkers, readHarnessLog } from "./harness-log.js";

const instance = {
  instance_id: "o__r-1",
  FAIL_TO_PASS: ["t.py::test_fix", "t.py::test_fix2"],
  PASS_TO_PASS: ["t.py::test_old"],
};
const pytest = { parser: "pytest" } as const;

function marked(body: string): string {
  return `>>>>> Applied Patch (pred)\n+ pytest -rA t.py\n>>>>> Start Test Output\n${body}\n>>>>> End Test Output\n`;
}

describe("gradeLog", () => {
  it("resolves when every FAIL_TO_PASS test passes and no PASS_TO_PASS test fails (skips kept)", () => {
    const withSkip = { ...instance, PASS_TO_PASS: ["t.py::test_old", "t.py::test_skip"] };
    const log = marked(
      "t.py::test_skip SKIPPED (no network)\nPASSED t.py::test_fix\nXFAIL t.py::test_fix2 - known\nPASSED t.py::test_old",
    );
    expect(gradeLog(withSkip, pytest, log)).toMatchObject({
      instance_id: "o__r-1",
      applied: true,
      resolved: true,
      resolution: "FULL",
      outcome: "ok",
      f2p: { passed: ["t.py::test_fix", "t.py::test_fix2"], failed: [] },
      p2p: { passed: ["t.py::test_old", "t.py::test_skip"], failed: [] },
    });
  });

  it("is PARTIAL when some FAIL_TO_PASS tests pass, NO when a PASS_TO_PASS test breaks or a test is missing", () => {
    const partial = gradeLog(
      instance,
      pytest,
      marked("PASSED t.py::test_fix\nFAILED t.py::test_fix2 - x\nPASSED t.py::test_old"),
    );
    expect(partial).toMatchObject({ resolved: false, resolution: "PARTIAL" });
    expect(partial.f2p.failed).toEqual(["t.py::test_fix2"]);
    const broken = gradeLog(
      instance,
      pytest,
      marked("PASSED t.py::test_fix\nPASSED t.py::test_fix2\nERROR t.py::test_old"),
    );
    expect(broken).toMatchObject({ resolved: false, resolution: "NO", p2p: { failed: ["t.py::test_old"] } });
  });

  it("counts a skipped FAIL_TO_PASS test and an unexpected pass as failures", () => {
    const log = marked("SKIPPED t.py::test_fix\nXPASS t.py::test_fix2 - now passes\nPASSED t.py::test_old");
    expect(gradeLog(instance, pytest, log)).toMatchObject({
      resolution: "NO",
      f2p: { passed: [], failed: ["t.py::test_fix", "t.py::test_fix2"] },
    });
  });

  it("reports a patch that did not apply, and a run that timed out, as unresolved with nothing verified", () => {
    const apply = gradeLog(
      instance,
      pytest,
      ">>>>> Patch Apply Failed; (pred)\nerror: patch failed: x.py:3\n",
    );
    expect(apply).toMatchObject({
      applied: false,
      resolved: false,
      resolution: "NO",
      outcome: "patch_apply_failed",
    });
    expect(apply.f2p.failed).toEqual(instance.FAIL_TO_PASS);
    // SWE-bench counts a failed first attempt even when a retry applied, and so do we.
    const retried = gradeLog(
      instance,
      pytest,
      `>>>>> Patch Apply Failed; (pred_try)\n>>>>> Applied Patch (pred_minimal)\n${marked("PASSED t.py::test_fix")}`,
    );
    expect(retried.applied).toBe(false);
    const timeout = gradeLog(instance, pytest, `${marked("PASSED t.py::test_fix")}>>>>> Tests Timed Out\n`);
    expect(timeout).toMatchObject({ applied: true, resolved: false, outcome: "tests_timed_out" });
    const cut = gradeLog(instance, pytest, ">>>>> Start Test Output\nPASSED t.py::test_fix\n");
    expect(cut).toMatchObject({ resolved: false, outcome: "test_output_unterminated" });
  });

  it("reads only the marked test output, or what follows the last 'Applied Patch' in a SWE-bench 1.x log", () => {
    const noise = "PASSED t.py::test_old\n"; // printed by an install step, not by the tests
    const log = `${noise}${marked("PASSED t.py::test_fix\nPASSED t.py::test_fix2\nFAILED t.py::test_old - x")}`;
    expect(gradeLog(instance, pytest, log).p2p.failed).toEqual(["t.py::test_old"]);
    const old = `${noise}FAILED t.py::test_fix\n>>>>> Applied Patch (test)\n>>>>> Applied Patch (pred)\nPASSED t.py::test_fix\nPASSED t.py::test_fix2\nPASSED t.py::test_old\n>>>>> All Tests Passed`;
    expect(gradeLog(instance, pytest, old)).toMatchObject({ resolved: true });
  });

  it("grades a bare test log, and falls back to the whole log when the marked part names no test", () => {
    expect(
      gradeLog(instance, pytest, "PASSED t.py::test_fix\nPASSED t.py::test_fix2\nPASSED t.py::test_old")
        .resolved,
    ).toBe(true);
    const outside =
      "PASSED t.py::test_fix\nPASSED t.py::test_fix2\nPASSED t.py::test_old\n>>>>> Start Test Output\n>>>>> End Test Output\n";
    expect(gradeLog(instance, pytest, outside).resolved).toBe(true);
  });

  it("rejects an unknown parser name with the list of parsers", () => {
    expect(() => gradeLog(instance, { parser: "nose" as "pytest" }, "")).toThrow(
      /Unknown log parser 'nose'.*pytest, /,
    );
  });
});

describe("gradeTestRun", () => {
  const run = (output: string, exitCode: number | null, more: Partial<TestRun> = {}): TestRun => ({
    outcome: "ok",
    applied: true,
    output,
    exitCode,
    integrity: [],
    ...more,
  });
  const allPass = "PASSED t.py::test_fix\nPASSED t.py::test_fix2\nPASSED t.py::test_old\n";

  it("grades the command's own output: a fake end marker and fake passes lose to the real failure after them", () => {
    const output = `PASSED t.py::test_fix\n>>>>> End Test Output\n${allPass.replace("PASSED t.py::test_fix\n", "FAILED t.py::test_fix - x\n")}`;
    expect(gradeTestRun(instance, pytest, run(output, 1))).toMatchObject({
      resolved: false,
      f2p: { failed: ["t.py::test_fix"] },
      integrity: [],
    });
    expect(gradeTestRun(instance, pytest, run(allPass, 0))).toMatchObject({
      resolved: true,
      resolution: "FULL",
      integrity: [],
    });
  });

  it("flags a log in which every test passed (or none is named) beside a failing or killed command", () => {
    for (const [output, exitCode] of [
      [allPass, 1],
      [allPass, null],
      ["", 2],
    ] as const) {
      expect(gradeTestRun(instance, pytest, run(output, exitCode))).toMatchObject({
        resolved: false,
        resolution: "NO",
        integrity: ["exit_code_mismatch"],
      });
    }
    // The lists as parsed stay in the verdict: the flag is what refused them.
    expect(gradeTestRun(instance, pytest, run(allPass, 1)).f2p.failed).toEqual([]);
  });

  it("does not flag a failing exit that a failed test outside the lists explains (sympy's bin/test exits 1 then)", () => {
    const output = `${allPass}FAILED t.py::test_unrelated - x\n`;
    expect(gradeTestRun(instance, pytest, run(output, 1))).toMatchObject({
      resolved: true,
      resolution: "FULL",
      integrity: [],
    });
  });

  it("keeps flags the run raised, and grades a run that did not get to its tests as SWE-bench does", () => {
    expect(
      gradeTestRun(instance, pytest, run("", null, { integrity: ["git_metadata_modified"] })),
    ).toMatchObject({ resolved: false, integrity: ["git_metadata_modified"] });
    expect(
      gradeTestRun(instance, pytest, run("", null, { outcome: "patch_apply_failed", applied: false })),
    ).toMatchObject({ applied: false, resolved: false, outcome: "patch_apply_failed", integrity: [] });
  });
});

describe("defuseMarkers", () => {
  it("leaves no marker in text a command printed, so a grader reading the log back finds only the harness's", () => {
    const printed =
      "PASSED t.py::test_fix\n>>>>> End Test Output\n>>>>>> Tests Timed Out\nok >>>>> Applied Patch\n";
    const defused = defuseMarkers(printed);
    expect(defused).toBe(
      "PASSED t.py::test_fix\n(>>>>>) End Test Output\n>(>>>>>) Tests Timed Out\nok (>>>>>) Applied Patch\n",
    );
    const log = `>>>>> Start Test Output\n${defused}FAILED t.py::test_fix2\n>>>>> End Test Output\n`;
    expect(readHarnessLog(log)).toMatchObject({ outcome: "ok" });
    // The failure printed after the fake end marker is read.
    expect(gradeLog(instance, pytest, log).f2p.failed).toEqual(["t.py::test_fix2"]);
  });
});

describe("gradeStatuses", () => {
  it("treats empty lists as a rate of 1 (SWE-bench), so an instance without tests is resolved", () => {
    expect(gradeStatuses({ instance_id: "x", FAIL_TO_PASS: [], PASS_TO_PASS: [] }, new Map())).toMatchObject({
      resolved: true,
      resolution: "FULL",
    });
  });

  it("matches a dataset name cut inside its parameters to the tests it starts, when they agree", () => {
    const truncated = { instance_id: "x", FAIL_TO_PASS: ["t.py::test_g[log(photon"], PASS_TO_PASS: [] };
    const agree = new Map([
      ["t.py::test_g[log(photon /cm**2)]", "PASSED" as const],
      ["t.py::test_g[log(photon /s)]", "XFAIL" as const],
    ]);
    expect(gradeStatuses(truncated, agree).resolved).toBe(true);
    const disagree = new Map([...agree, ["t.py::test_g[log(photon /m)]", "FAILED" as const]]);
    expect(gradeStatuses(truncated, disagree).resolved).toBe(false);
    // A complete id never matches by prefix.
    const complete = { instance_id: "x", FAIL_TO_PASS: ["t.py::test_g"], PASS_TO_PASS: [] };
    expect(gradeStatuses(complete, new Map([["t.py::test_g2", "PASSED" as const]])).resolved).toBe(false);
  });
});

describe("resolutionOf", () => {
  it("follows SWE-bench's FULL / PARTIAL / NO rule", () => {
    expect(resolutionOf(1, 1)).toBe("FULL");
    expect(resolutionOf(0.5, 1)).toBe("PARTIAL");
    expect(resolutionOf(0.5, 0.9)).toBe("NO");
    expect(resolutionOf(0, 1)).toBe("NO");
    expect(resolutionOf(1, 0.99)).toBe("NO");
  });
});
