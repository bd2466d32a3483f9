import { describe, expect, it } from "vitest";
import type { Instance } from "../../data/instance.js";
import { findTestSpec } from "../specs/resolve.js";
import { SWE_BENCH_RUN_SPECS } from "../swe-bench/run-specs.js";
import { sweBenchTestSpec } from "../swe-bench/test-spec.js";
import { testSpecFor } from "./verify-with-spec.js";

const DOCKER = { name: "docker" };
const BWRAP = { name: "bwrap" };

function row(repo: string, version: string): Instance {
  return {
    dataset: "swe-bench",
    instance_id: `${repo.replace("/", "__")}-1`,
    repo,
    version,
    base_commit: "0".repeat(40),
    problem_statement: "",
    test_patch:
      "diff --git a/tests/test_x.py b/tests/test_x.py\n--- a/tests/test_x.py\n+++ b/tests/test_x.py\n",
    FAIL_TO_PASS: [],
    PASS_TO_PASS: [],
  };
}

describe("testSpecFor", () => {
  it("in SWE-bench's images gives every SWE-bench repository and version SWE-bench's own spec", () => {
    const repos = Object.entries(SWE_BENCH_RUN_SPECS);
    expect(repos).toHaveLength(18);
    for (const [repo, entry] of repos) {
      for (const version of entry.specs.flatMap((spec) => spec.versions)) {
        const instance = row(repo, version);
        const spec = testSpecFor(instance, DOCKER);
        expect(spec, `${repo} ${version}`).toBeDefined();
        expect(spec).toEqual(sweBenchTestSpec(instance));
      }
    }
  });

  it("keeps the built-in (host) specs outside containers, where django has none", () => {
    const django = row("django/django", "4.0");
    expect(testSpecFor(django, BWRAP)).toEqual(findTestSpec(django));
    expect(testSpecFor(django, BWRAP)).toBeUndefined();
    expect(testSpecFor(django, DOCKER)?.command).toContain("./tests/runtests.py");
    const sympy = row("sympy/sympy", "1.12");
    expect(testSpecFor(sympy, BWRAP)).toEqual(findTestSpec(sympy));
    expect(testSpecFor(sympy, BWRAP)).not.toEqual(testSpecFor(sympy, DOCKER));
  });

  it("lets a user's `test:` for the repository win in containers too, and falls back for other repositories", () => {
    const user = { repo: "pallets/flask", command: "make test", parser: "pytest" };
    expect(testSpecFor(row("pallets/flask", "2.3"), DOCKER, user)?.command).toBe("make test");
    expect(testSpecFor(row("psf/requests", "2.0"), DOCKER, user)?.parser).toBe("pytest-short-paths");
    expect(testSpecFor(row("psf/requests", "2.0"), DOCKER, user)).toEqual(
      sweBenchTestSpec(row("psf/requests", "2.0")),
    );
    const own = row("me/tool", "1.0");
    expect(testSpecFor(own, DOCKER, { command: "pytest", parser: "pytest" })?.command).toBe("pytest");
    expect(testSpecFor(own, DOCKER)).toBeUndefined();
  });
});
