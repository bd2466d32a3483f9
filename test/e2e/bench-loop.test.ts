import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InstanceResultReadSchema, RevisionResultReadSchema } from "../../src/bench/records.js";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { renderFeedback } from "../../src/review/render.js";
import { parseReviewReport } from "../../src/review/report.js";
import { runCli } from "../helpers/cli.js";
import { NO_DEBIAN_PYTEST } from "../helpers/harness-fixtures.js";
import { GENERATOR, INSTANCE_ID, writeInventoryDataset } from "../helpers/loop-fixture.js";
import {
  APPROVE_REPORT,
  CORRECT_PATCH,
  fixtureFiles,
  makeFixtureRepo,
  REJECT_REPORT,
  reviewerScript,
  SYMPTOM_PATCH,
} from "../helpers/review-fixture.js";
import { outsideRunFolderLayout } from "../helpers/run-folder-layout.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipReasons, skipTitle } from "../helpers/skip.js";

/** Why the groups that verify with the Python fixture in the sandbox skip here. */
const NO_BWRAP_OR_PYTEST = skipReasons(NO_BWRAP, NO_DEBIAN_PYTEST);

const servers: MockOpenAIServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function mock(script: ScriptEntry[]) {
  const server = await startMockServer({ script });
  servers.push(server);
  return server;
}

function setup() {
  const { repo, base } = makeFixtureRepo();
  const files = fixtureFiles();
  const { dataset, config } = writeInventoryDataset(files.root, base);
  /**
   * `withTests: false` leaves out the configuration that says how to run the repository's tests; `withClone: false`
   * the local clone (bench revise takes the review run's).
   */
  const cli = (args: string[], options: { withTests?: boolean; withClone?: boolean } = {}) =>
    runCli(
      [
        ...args,
        ...(options.withTests === false ? [] : ["--config", config]),
        ...(options.withClone === false ? [] : ["--repo", `demo/inventory=${repo.dir}`]),
      ],
      { env: files.env, timeoutMs: 240_000 },
    );
  return { repo, base, files, dataset, cli };
}

const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const lastLine = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");

describe.skipIf(NO_BWRAP_OR_PYTEST)(
  skipTitle("bench verify → bench review → bench revise", NO_BWRAP_OR_PYTEST),
  () => {
    it("labels candidates by their tests, reviews them, and revises the rejected one into a resolving patch (RRR)", async () => {
      const { files, dataset, cli } = setup();
      const candidates = join(files.root, "candidates.jsonl");
      writeFileSync(
        candidates,
        [
          { candidate_id: "symptom", instance_id: INSTANCE_ID, model_patch: SYMPTOM_PATCH },
          { candidate_id: "root-cause", instance_id: INSTANCE_ID, model_patch: CORRECT_PATCH },
          // already labelled: kept as it is, its tests not run
          { candidate_id: "labelled", instance_id: INSTANCE_ID, model_patch: "", resolved: false },
        ]
          .map((row) => JSON.stringify(row))
          .join("\n"),
      );

      // 1. bench verify: labels from the tests
      const verifyDir = join(files.root, "verify-run");
      const verifyArgs = [
        "bench",
        "verify",
        "--dataset",
        dataset,
        "--candidates",
        candidates,
        "--run-dir",
        verifyDir,
      ];
      const verify = await cli(verifyArgs);
      expect(verify.code, verify.stderr).toBe(0);
      expect(lastLine(verify.stdout)).toMatchObject({
        items: 3,
        done: 3,
        resolved: 1,
        unresolved: 2,
        labelled: 3,
      });
      const labelledFile = join(verifyDir, "candidates.jsonl");
      const labels = readFileSync(labelledFile, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(labels.map((row) => [row.candidate_id, row.resolved])).toEqual([
        ["symptom", false],
        ["root-cause", true],
        ["labelled", false],
      ]);
      expect(json(join(verifyDir, "instances", "root-cause", "verify.json"))).toMatchObject({
        resolution: "FULL",
        resolved: true,
      });
      expect(existsSync(join(verifyDir, "instances", "labelled", "verify.json"))).toBe(false);
      // a re-run has nothing left to do
      const again = await cli(verifyArgs);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).not.toMatch(/\[bench\] \d+\/3/);

      // 2. bench review over the labelled candidates (the third has no patch: the prechecks reject it without a model)
      const reviewer = await mock([...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)]);
      const runDir = join(files.root, "review-run");
      const review = await cli([
        "bench",
        "review",
        "--dataset",
        dataset,
        "--candidates",
        labelledFile,
        "--instances",
        INSTANCE_ID,
        "--reviewer-base-url",
        reviewer.baseUrl,
        "--run-dir",
        runDir,
      ]);
      expect(review.code, review.stderr).toBe(0);
      const decisions = ["symptom", "root-cause", "labelled"].map(
        (key) =>
          InstanceResultReadSchema.parse(json(join(runDir, "instances", key, "result.json"))).review
            ?.decision,
      );
      expect(decisions).toEqual(["request_changes", "approve", "request_changes"]);

      // 3. bench revise: only the rejected candidates are revised; the revision is given the review's feedback
      const generator = await mock([
        ...GENERATOR.slice(4),
        // the empty candidate's revision: gives up without a change
        { toolCalls: [{ name: "finish", arguments: { message: "Nothing to do." } }] },
      ]);
      // First without a test spec: the revisions are made but cannot be verified (and say why)
      const untested = await cli(
        ["bench", "revise", "--run-dir", runDir, "--generator-base-url", generator.baseUrl],
        {
          withTests: false,
        },
      );
      expect(untested.code).toBe(1);
      expect(lastLine(untested.stdout)).toMatchObject({ rejected: 2, revised: 2, unverified: 2 });
      expect(json(join(runDir, "instances", "symptom", "revision.json"))).toMatchObject({
        resolved: null,
        error: { code: "no_test_spec" },
      });
      // With it: the revisions already made are verified, not made again
      const verifyOnly = await mock([]);
      const revise = await cli(
        ["bench", "revise", "--run-dir", runDir, "--generator-base-url", verifyOnly.baseUrl],
        {
          withClone: false,
        },
      );
      expect(revise.code, revise.stderr).toBe(0);
      expect(verifyOnly.chatBodies).toHaveLength(0);
      const revised = lastLine(revise.stdout);
      expect(revised).toMatchObject({ rejected: 2, revised: 2, resolved: 1, failed: 0, unverified: 0 });
      // RRR: root-cause approved and resolving, symptom revised into a fix, the empty one still unresolved: 2/3
      expect(revised).toMatchObject({ RRR: 66.7, baseline_RR: 33.3, delta: 33.3 });
      expect(
        RevisionResultReadSchema.parse(json(join(runDir, "instances", "symptom", "revision.json"))),
      ).toMatchObject({
        resolved: true,
        applied: true,
      });
      expect(
        readFileSync(join(runDir, "instances", "symptom", "revision", "candidate.patch"), "utf8"),
      ).toContain('"oz": 28.3495');
      const reject = parseReviewReport(REJECT_REPORT);
      if (!reject.ok) throw new Error("fixture report");
      const task = JSON.parse(generator.chatBodies[0] ?? "{}").messages[1].content as string;
      expect(task).toContain(renderFeedback(reject.report));
      expect(json(join(runDir, "summary.json"))).toMatchObject({ RRR: 66.7 });

      // a re-run revises nothing again
      const idle = await mock([]);
      const rerun = await cli(["bench", "revise", "--run-dir", runDir, "--generator-base-url", idle.baseUrl]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(lastLine(rerun.stdout)).toMatchObject({ rejected: 2, skipped: 2, revised: 0, RRR: 66.7 });
      expect(idle.chatBodies).toHaveLength(0);
      // bench verify, review and revise wrote only paths of the run-folder layout
      expect(outsideRunFolderLayout(runDir)).toEqual([]);
    });
  },
);

describe.skipIf(NO_BWRAP_OR_PYTEST)(skipTitle("bench tts", NO_BWRAP_OR_PYTEST), () => {
  it("runs the iterative loop on each instance with verified samples, scores the TTS curve and resumes", async () => {
    const { files, dataset, cli } = setup();
    const generator = await mock(GENERATOR);
    const reviewer = await mock([...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)]);
    const runDir = join(files.root, "tts-run");
    const args = [
      "bench",
      "tts",
      "--dataset",
      dataset,
      "--strategy",
      "iterative",
      "--budget",
      "3",
      "--no-verdict",
      "reject",
      "--run-dir",
      runDir,
    ];
    const run = await cli([
      ...args,
      "--generator-base-url",
      generator.baseUrl,
      "--reviewer-base-url",
      reviewer.baseUrl,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(lastLine(run.stdout)).toMatchObject({
      items: 1,
      done: 1,
      approved: 1,
      resolved: 1,
      mean_samples: 2,
    });
    const result = InstanceResultReadSchema.parse(
      json(join(runDir, "instances", INSTANCE_ID, "result.json")),
    );
    expect(
      result.loop?.samples.map((sample) => [sample.kind, sample.review?.decision, sample.resolved]),
    ).toEqual([
      ["generation", "request_changes", false],
      ["revision", "approve", true],
    ]);
    expect(result).toMatchObject({ status: "done", label: true });
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    const summary = json(join(runDir, "summary.json"));
    expect(summary.source.run_kind).toBe("tts");
    expect(json(join(runDir, "run.json")).settings.spec).toMatchObject({
      strategy: "iterative",
      no_verdict: "reject",
    });
    expect(
      summary.tts.points.map((point: { k: number; reviewer_gated_RR: number; oracle_RR: number }) => [
        point.k,
        point.reviewer_gated_RR,
        point.oracle_RR,
      ]),
    ).toEqual([
      [1, 0, 0],
      [2, 100, 100],
      [3, 100, 100],
    ]);
    expect(existsSync(join(runDir, "report.html"))).toBe(true);
    expect(outsideRunFolderLayout(runDir)).toEqual([]);

    // the same command again: the instance is done, no model is called
    const idle = await mock([]);
    const again = await cli([
      ...args,
      "--generator-base-url",
      idle.baseUrl,
      "--reviewer-base-url",
      idle.baseUrl,
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(idle.chatBodies).toHaveLength(0);
    // another strategy in the same run directory is refused: results would not be comparable
    const other = await cli([...args.map((arg) => (arg === "iterative" ? "gated" : arg))]);
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/other settings/);
  });
});
