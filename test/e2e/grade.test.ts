import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { sweBenchRow } from "../helpers/data-fixtures.js";

function workspace() {
  const root = mkdtempSync(join(tmpdir(), "swe-review-grade-"));
  const home = join(root, "home");
  mkdirSync(home);
  const dataset = join(root, "instances.jsonl");
  const instances = [
    {
      ...sweBenchRow,
      FAIL_TO_PASS: '["test_immutable"]',
      PASS_TO_PASS: '["test__aresame", "test_structure"]',
    },
    {
      ...sweBenchRow,
      repo: "me/app",
      instance_id: "me__app-1",
      FAIL_TO_PASS: '["a.test.ts > adds"]',
      PASS_TO_PASS: "[]",
    },
  ];
  writeFileSync(dataset, `${instances.map((row) => JSON.stringify(row)).join("\n")}\n`);
  const log = (name: string, text: string) => {
    const file = join(root, name);
    writeFileSync(file, text);
    return file;
  };
  return { root, dataset, log, env: { PATH: process.env.PATH ?? "", HOME: home } };
}

const sympyRun = (immutable: string) =>
  [
    ">>>>> Applied Patch (pred)",
    ">>>>> Start Test Output",
    "sympy/core/tests/test_basic.py[3] ",
    "test__aresame ok",
    "test_structure ok",
    `test_immutable ${immutable}                                                  [OK]`,
    ">>>>> End Test Output",
  ].join("\n");

describe("swe-review grade", () => {
  it("prints the grade of a log as JSON: resolved when every listed test passes", async () => {
    const { dataset, log, env } = workspace();
    const args = ["grade", "--dataset", dataset, "--instance", "sympy__sympy-20590"];
    const pass = await runCli([...args, "--log", log("pass.log", sympyRun("ok"))], { env });
    expect(pass.stderr).toBe("");
    expect(pass.code).toBe(0);
    expect(JSON.parse(pass.stdout)).toEqual({
      instance_id: "sympy__sympy-20590",
      applied: true,
      resolved: true,
      resolution: "FULL",
      f2p: { passed: ["test_immutable"], failed: [] },
      p2p: { passed: ["test__aresame", "test_structure"], failed: [] },
      outcome: "ok",
      parser: "sympy",
    });
    const fail = await runCli([...args, "--log", log("fail.log", sympyRun("F")), "--tests"], { env });
    const result = JSON.parse(fail.stdout);
    expect(result).toMatchObject({ resolved: false, resolution: "NO", f2p: { failed: ["test_immutable"] } });
    expect(result.tests).toEqual({
      test__aresame: "PASSED",
      test_structure: "PASSED",
      test_immutable: "FAILED",
    });
    const notApplied = await runCli(
      [...args, "--log", log("apply.log", ">>>>> Patch Apply Failed; (pred)\n")],
      { env },
    );
    expect(JSON.parse(notApplied.stdout)).toMatchObject({
      applied: false,
      resolved: false,
      outcome: "patch_apply_failed",
    });
  });

  it("uses --parser, or the test parser of .swe-review.yaml, for a repository it does not know", async () => {
    const { root, dataset, log, env } = workspace();
    const vitestLog = log("vitest.log", " ✓ a.test.ts > adds 1ms\n");
    const args = ["grade", "--dataset", dataset, "--instance", "me__app-1", "--log", vitestLog];
    const unknown = await runCli(args, { env, cwd: root });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/No log parser is known for me\/app\. Pass --parser/);
    expect(
      JSON.parse((await runCli([...args, "--parser", "vitest"], { env, cwd: root })).stdout).resolved,
    ).toBe(true);
    const repo = join(root, "repo");
    mkdirSync(join(repo, ".git"), { recursive: true });
    writeFileSync(
      join(repo, ".swe-review.yaml"),
      "test:\n  command: npx vitest run --reporter=verbose\n  parser: vitest\n",
    );
    const configured = await runCli(args, { env, cwd: repo });
    expect(JSON.parse(configured.stdout)).toMatchObject({ resolved: true, parser: "vitest" });
  });

  it("exits 3 with a message naming the bad input", async () => {
    const { root, dataset, log, env } = workspace();
    const good = log("x.log", "");
    const cases: [string[], RegExp][] = [
      [
        ["--dataset", dataset, "--instance", "nope__nope-1", "--log", good],
        /Instance nope__nope-1 is not in .*instances\.jsonl/,
      ],
      [
        ["--dataset", dataset, "--instance", "sympy__sympy-20590", "--log", join(root, "missing.log")],
        /--log .*missing\.log: no such file or folder\. Give an existing file/,
      ],
      [
        ["--dataset", join(root, "none.jsonl"), "--instance", "x", "--log", good],
        /--dataset .*none\.jsonl: no such file or folder\. Give an existing file or folder/,
      ],
      [
        ["--dataset", dataset, "--instance", "sympy__sympy-20590", "--log", good, "--parser", "nose"],
        /Unknown log parser 'nose' \(from --parser\)/,
      ],
      [["--dataset", dataset, "--instance", "sympy__sympy-20590"], /required option '--log <file>'/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(["grade", ...args], { env, cwd: root });
      expect(result.code, args.join(" ")).toBe(3);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
    }
    const bad = log("bad.jsonl", '{"instance_id": "a__b-1", "repo": "a/b"}\n');
    const badRow = await runCli(["grade", "--dataset", bad, "--instance", "a__b-1", "--log", good], {
      env,
      cwd: root,
    });
    expect(badRow.code).toBe(3);
    expect(badRow.stderr).toMatch(
      /bad\.jsonl line 1 \(instance a__b-1\) is not a SWE-bench instance: missing field 'base_commit'/,
    );
  });
});
