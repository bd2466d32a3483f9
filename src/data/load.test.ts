import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteFile } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { sweBenchRow } from "../../test/helpers/data-fixtures.js";
import { findInstance, loadCandidates, loadInstances } from "./load.js";

const folder = () => mkdtempSync(join(tmpdir(), "swe-review-data-"));
const jsonl = (rows: unknown[]) => `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`;

describe("loadInstances", () => {
  it("reads SWE-bench JSONL with test lists as JSON-encoded strings, and JSON arrays with real lists", async () => {
    const dir = folder();
    writeFileSync(join(dir, "lite.jsonl"), jsonl([sweBenchRow]));
    const [instance] = await loadInstances(join(dir, "lite.jsonl"));
    expect(instance).toMatchObject({
      instance_id: "sympy__sympy-20590",
      repo: "sympy/sympy",
      version: "1.7",
      FAIL_TO_PASS: ["test_immutable"],
      PASS_TO_PASS: ["test__aresame", "test_structure"],
      dataset: "swe-bench",
    });
    writeFileSync(
      join(dir, "verified.json"),
      JSON.stringify([{ ...sweBenchRow, FAIL_TO_PASS: ["a"], PASS_TO_PASS: [], hints_text: null }]),
    );
    const [fromJson] = await loadInstances(join(dir, "verified.json"));
    expect(fromJson?.FAIL_TO_PASS).toEqual(["a"]);
    expect(fromJson).not.toHaveProperty("hints_text");
  });

  it("reads Parquet as on the hub: 64-bit integers come back as numbers, lists and JSON strings both work", async () => {
    const dir = folder();
    const file = join(dir, "test-00000-of-00001.parquet");
    const column = (name: keyof typeof sweBenchRow) => ({
      name,
      data: [sweBenchRow[name], sweBenchRow[name]],
      type: "STRING" as const,
    });
    parquetWriteFile({
      filename: file,
      columnData: [
        column("repo"),
        { name: "instance_id", data: ["sympy__sympy-1", "sympy__sympy-2"], type: "STRING" },
        column("base_commit"),
        column("patch"),
        column("test_patch"),
        column("problem_statement"),
        column("version"),
        { name: "FAIL_TO_PASS", data: [["test_a", "test_b"], []] },
        { name: "PASS_TO_PASS", data: ['["test_c"]', "[]"], type: "STRING" },
        { name: "pull_number", data: [20590n, 9007199254740993n], type: "INT64" },
      ],
    });
    const instances = await loadInstances(file);
    expect(
      instances.map((instance) => [instance.instance_id, instance.FAIL_TO_PASS, instance.PASS_TO_PASS]),
    ).toEqual([
      ["sympy__sympy-1", ["test_a", "test_b"], ["test_c"]],
      ["sympy__sympy-2", [], []],
    ]);
    expect(() => JSON.stringify(instances)).not.toThrow();
  });

  it("reads Multi-SWE-bench rows: base.sha, fix_patch, and f2p/s2p/n2p tests as FAIL_TO_PASS", async () => {
    const dir = folder();
    const status = { run: "PASS", test: "FAIL", fix: "PASS" };
    writeFileSync(
      join(dir, "dayjs.jsonl"),
      jsonl([
        {
          org: "iamkun",
          repo: "dayjs",
          number: 1008,
          title: "fix: update Duration plugin",
          body: "fix #1007",
          base: { label: "iamkun:dev", ref: "dev", sha: "5a465cc90c0ace55268b2640512d0a4c6544ac7f" },
          resolved_issues: [{ number: 1007, title: "humanize() international", body: "My code: ..." }],
          fix_patch: "diff --git a/src/plugin/duration/index.js b/src/plugin/duration/index.js\n",
          test_patch: "diff --git a/test/plugin/duration.test.js b/test/plugin/duration.test.js\n",
          f2p_tests: { "test/plugin/duration.test.js": status },
          p2p_tests: { "test/timezone.test.js:Add Time days (DST)": status, "test/plugin.test.js": status },
          s2p_tests: {},
          n2p_tests: { "test/new.test.js": status },
          instance_id: "iamkun__dayjs-1008",
        },
      ]),
    );
    const [instance] = await loadInstances(join(dir, "dayjs.jsonl"));
    expect(instance).toEqual({
      instance_id: "iamkun__dayjs-1008",
      repo: "iamkun/dayjs",
      base_commit: "5a465cc90c0ace55268b2640512d0a4c6544ac7f",
      problem_statement: "humanize() international\nMy code: ...",
      patch: "diff --git a/src/plugin/duration/index.js b/src/plugin/duration/index.js\n",
      test_patch: "diff --git a/test/plugin/duration.test.js b/test/plugin/duration.test.js\n",
      FAIL_TO_PASS: ["test/plugin/duration.test.js", "test/new.test.js"],
      PASS_TO_PASS: ["test/timezone.test.js:Add Time days (DST)", "test/plugin.test.js"],
      dataset: "multi-swe-bench",
    });
  });

  it("names the file, line, instance and field of a bad row", async () => {
    const dir = folder();
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, jsonl([sweBenchRow, { ...sweBenchRow, instance_id: "x__y-2", FAIL_TO_PASS: 3 }]));
    await expect(loadInstances(file)).rejects.toThrow(
      `${file} line 2 (instance x__y-2) is not a SWE-bench instance: field 'FAIL_TO_PASS': expected a list of test names`,
    );
    writeFileSync(file, jsonl([{ ...sweBenchRow, base_commit: undefined }]));
    await expect(loadInstances(file)).rejects.toThrow(/line 1 .*missing field 'base_commit'/);
    writeFileSync(file, `${JSON.stringify(sweBenchRow)}\n{"instance_id": \n`);
    await expect(loadInstances(file)).rejects.toThrow(`${file} line 2 is not valid JSON`);
    writeFileSync(file, jsonl([sweBenchRow, sweBenchRow]));
    await expect(loadInstances(file)).rejects.toThrow(/sympy__sympy-20590 more than once/);
    await expect(loadInstances(join(dir, "data.csv"))).rejects.toThrow(/does not exist/);
    writeFileSync(join(dir, "data.csv"), "a,b\n");
    await expect(loadInstances(join(dir, "data.csv"))).rejects.toThrow(/name it \.jsonl/);
    expect(() => findInstance([], "a__b-1", file)).toThrow(`Instance a__b-1 is not in ${file} (0 instances)`);
  });
});

describe("loadCandidates", () => {
  it("reads candidate rows and SWE-bench predictions, naming predictions instance@model", async () => {
    const dir = folder();
    const file = join(dir, "candidates.jsonl");
    writeFileSync(
      file,
      jsonl([
        {
          instance_id: "sympy__sympy-12481",
          candidate_id: "sympy__sympy-12481@run",
          source: "run",
          model_patch: "diff",
          resolved: true,
          label_note: "extra fields are ignored",
        },
        { instance_id: "sympy__sympy-1", model_name_or_path: "gpt-4o", model_patch: null },
      ]),
    );
    expect(await loadCandidates(file)).toEqual([
      {
        instance_id: "sympy__sympy-12481",
        candidate_id: "sympy__sympy-12481@run",
        source: "run",
        model_patch: "diff",
        resolved: true,
      },
      {
        candidate_id: "sympy__sympy-1@gpt-4o",
        instance_id: "sympy__sympy-1",
        model_patch: "",
        source: "gpt-4o",
      },
    ]);
    writeFileSync(file, jsonl([{ instance_id: "a__b-1", patch: "diff" }]));
    await expect(loadCandidates(file)).rejects.toThrow(
      /line 1 is neither a candidate .* nor a SWE-bench prediction/,
    );
  });
});
