import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Verifier } from "../assembly/verifier.js";
import type { Candidate } from "../data/candidate.js";
import type { Instance } from "../data/instance.js";
import { unjudged, type VerifyResult } from "../harness/run/verify-result.js";
import type { BenchItem } from "./items.js";
import { verifyItem } from "./verify-item.js";

const instance: Instance = {
  instance_id: "demo__calc-1",
  repo: "demo/calc",
  base_commit: "abc",
  problem_statement: "add() subtracts",
  test_patch: "",
  FAIL_TO_PASS: ["t1"],
  PASS_TO_PASS: [],
  dataset: "swe-bench",
};
const candidate: Candidate = { candidate_id: "c1", instance_id: instance.instance_id, model_patch: "diff" };
const item: BenchItem = { key: "c1", instance, candidate, label: null };

function verdict(resolved: boolean | null): VerifyResult {
  if (resolved === null) {
    return unjudged(candidate, { code: "setup_failed", message: "pip install failed" });
  }
  return {
    candidate_id: "c1",
    instance_id: instance.instance_id,
    applied: true,
    resolved,
    resolution: resolved ? "FULL" : "NO",
    f2p: { passed: resolved ? ["t1"] : [], failed: resolved ? [] : ["t1"] },
    p2p: { passed: [], failed: [] },
    seconds: 1,
  };
}

/** A verifier that answers from a list, one verdict per call, and can stop its caller as it answers. */
class ListVerifier implements Verifier {
  calls = 0;
  constructor(
    private readonly answers: VerifyResult[],
    private readonly onCall?: () => void,
  ) {}
  async verify(): Promise<VerifyResult> {
    this.onCall?.();
    const answer = this.answers[this.calls++];
    if (!answer) throw new Error("no more verdicts");
    return answer;
  }
}

const dir = () => mkdtempSync(join(tmpdir(), "swe-review-verify-item-"));

describe("verifyItem", () => {
  it("labels a candidate with its verdict; an infrastructure failure is retried, then recorded as failed", async () => {
    const passed = await verifyItem(item, dir(), {
      verifier: new ListVerifier([verdict(null), verdict(true)]),
      attempts: 2,
      retryDelayMs: 0,
    });
    expect(passed).toMatchObject({ status: "done", label: true, labelled_by: "tests", attempts: 2 });
    const failed = await verifyItem(item, dir(), {
      verifier: new ListVerifier([verdict(null), verdict(null)]),
      attempts: 2,
      retryDelayMs: 0,
    });
    expect(failed).toMatchObject({ status: "failed", label: null, error: { code: "setup_failed" } });
  });

  it("keeps a candidate's own label without running anything", async () => {
    const verifier = new ListVerifier([]);
    const result = await verifyItem({ ...item, label: false }, dir(), { verifier, attempts: 1 });
    expect(result).toMatchObject({ status: "done", label: false, labelled_by: "dataset" });
    expect(verifier.calls).toBe(0);
  });

  it("keeps a verdict reached as Ctrl-C came, and uses it on the next run instead of testing again", async () => {
    const itemDir = dir();
    const stop = new AbortController();
    const stopped = await verifyItem(item, itemDir, {
      verifier: new ListVerifier([verdict(false)], () => stop.abort()),
      attempts: 1,
      signal: stop.signal,
    });
    expect(stopped).toBeUndefined(); // nothing recorded now …
    expect(JSON.parse(readFileSync(join(itemDir, "verify.json"), "utf8"))).toMatchObject({ resolved: false });
    const verifier = new ListVerifier([]);
    const resumed = await verifyItem(item, itemDir, { verifier, attempts: 1 });
    expect(resumed).toMatchObject({ status: "done", label: false, labelled_by: "tests" }); // … nor lost
    expect(verifier.calls).toBe(0);
  });

  it("tests again when the kept verdict is for another candidate or was no verdict", async () => {
    const itemDir = dir();
    writeFileSync(join(itemDir, "verify.json"), JSON.stringify({ ...verdict(true), candidate_id: "other" }));
    const verifier = new ListVerifier([verdict(false)]);
    expect(await verifyItem(item, itemDir, { verifier, attempts: 1 })).toMatchObject({ label: false });
    expect(verifier.calls).toBe(1);
  });
});
