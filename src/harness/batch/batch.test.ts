import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Instance } from "../../data/instance.js";
import type { VerifyResult } from "../run/verify-result.js";
import { parseCandidateSource, parseInstanceIds, selectCandidates } from "./candidate-set.js";
import { ResultsFile } from "./results-file.js";
import { safeName } from "./verify-batch.js";

const instance = (id: string, patch?: string): Instance => ({
  instance_id: id,
  repo: "o/r",
  base_commit: "abc",
  problem_statement: "",
  test_patch: "",
  ...(patch === undefined ? {} : { patch }),
  FAIL_TO_PASS: [],
  PASS_TO_PASS: [],
  dataset: "swe-bench",
});

const result = (id: string, extra: Partial<VerifyResult> = {}): VerifyResult => ({
  candidate_id: id,
  instance_id: "o__r-1",
  applied: true,
  resolved: true,
  resolution: "FULL",
  f2p: { passed: [], failed: [] },
  p2p: { passed: [], failed: [] },
  seconds: 1,
  ...extra,
});

describe("selectCandidates", () => {
  const instances = [instance("o__r-1", "diff 1"), instance("o__r-2", "diff 2"), instance("o__r-3")];

  it("makes gold and empty candidates for the chosen instances", async () => {
    const gold = await selectCandidates(instances, "gold", { ids: ["o__r-2"], datasetPath: "d.jsonl" });
    expect(gold.candidates).toEqual([
      { candidate_id: "o__r-2@gold", instance_id: "o__r-2", model_patch: "diff 2", source: "gold" },
    ]);
    const empty = await selectCandidates(instances, "empty", { datasetPath: "d.jsonl" });
    expect(empty.candidates.map((candidate) => candidate.model_patch)).toEqual(["", "", ""]);
    await expect(selectCandidates(instances, "gold", { datasetPath: "d.jsonl" })).rejects.toThrow(
      /o__r-3 has no reference patch/,
    );
  });

  it("keeps a file's candidates for the chosen instances only", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "swe-review-cands-")), "c.jsonl");
    writeFileSync(
      file,
      ["o__r-1", "o__r-2"]
        .map((id) => JSON.stringify({ candidate_id: `${id}@x`, instance_id: id, model_patch: "p" }))
        .join("\n"),
    );
    const chosen = await selectCandidates(instances, parseCandidateSource(file), {
      ids: ["o__r-1", "o__r-3"],
      datasetPath: "d.jsonl",
    });
    expect(chosen.candidates.map((candidate) => candidate.candidate_id)).toEqual(["o__r-1@x"]);
    expect(chosen.instances.map((item) => item.instance_id)).toEqual(["o__r-1"]);
  });

  it("reads --instances as comma- or space-separated ids over several flags", () => {
    expect(parseInstanceIds(["a,b", "c d", "a"])).toEqual(["a", "b", "c", "d"]);
    expect(parseInstanceIds([])).toBeUndefined();
  });
});

describe("ResultsFile", () => {
  it("appends whole lines and reads them back as finished", () => {
    const path = join(mkdtempSync(join(tmpdir(), "swe-review-results-")), "sub", "r.jsonl");
    const file = ResultsFile.open(path);
    file.append(result("a"));
    file.append(result("b", { resolved: false, resolution: "NO" }));
    file.close();
    expect([...ResultsFile.open(path).finished.keys()]).toEqual(["a", "b"]);
    expect(readFileSync(path, "utf8").split("\n")).toHaveLength(3);
  });

  it("keeps a whole last line without its newline, drops a cut one and error lines", () => {
    const path = join(mkdtempSync(join(tmpdir(), "swe-review-results-")), "r.jsonl");
    const errored = result("e", {
      applied: null,
      resolved: null,
      resolution: null,
      error: "setup_failed: x",
    });
    writeFileSync(
      path,
      `${JSON.stringify(result("a"))}\n${JSON.stringify(errored)}\n${JSON.stringify(result("b"))}`,
    );
    const reopened = ResultsFile.open(path);
    reopened.close();
    expect([...reopened.finished.keys()]).toEqual(["a", "b"]);
    expect(readFileSync(path, "utf8")).toBe(
      `${JSON.stringify(result("a"))}\n${JSON.stringify(result("b"))}\n`,
    );
    writeFileSync(path, `${JSON.stringify(result("a"))}\n{"candidate_id":"b","inst`);
    expect([...ResultsFile.open(path).finished.keys()]).toEqual(["a"]);
  });

  it("lets one process write a file at a time, and takes over a lock whose owner died", () => {
    const path = join(mkdtempSync(join(tmpdir(), "swe-review-results-")), "r.jsonl");
    mkdirSync(`${path}.lock`);
    writeFileSync(join(`${path}.lock`, "owner"), String(process.ppid));
    expect(() => ResultsFile.open(path)).toThrow(/being written by another swe-review verify \(pid \d+\)/);
    writeFileSync(join(`${path}.lock`, "owner"), "999999999");
    const file = ResultsFile.open(path);
    expect(() => ResultsFile.open(path)).toThrow(/being written by another swe-review verify/);
    file.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

describe("safeName", () => {
  it("keeps safe ids and tells cleaned ones apart", () => {
    expect(safeName("sympy__sympy-1@gold")).toBe("sympy__sympy-1@gold");
    expect(safeName("x@org/model")).toMatch(/^x@org_model-[0-9a-f]{8}$/);
    expect(safeName("x@org/model")).not.toBe(safeName("x@org_model"));
    expect(safeName("..")).not.toMatch(/^\./);
  });
});
