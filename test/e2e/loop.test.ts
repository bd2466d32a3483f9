import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VerifyResultSchema } from "../../src/harness/run/verify-result.js";
import { readLoopRecord } from "../../src/loop/run-loop.js";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import { renderFeedback } from "../../src/review/render.js";
import { parseReviewReport } from "../../src/review/report.js";
import { CLI, runCli } from "../helpers/cli.js";
import { NO_DEBIAN_PYTEST } from "../helpers/harness-fixtures.js";
import { GENERATOR, INSTANCE_ID, OZ_TEST, writeInventoryDataset } from "../helpers/loop-fixture.js";
import {
  APPROVE_REPORT,
  fixtureFiles,
  makeFixtureRepo,
  REJECT_REPORT,
  reviewerScript,
} from "../helpers/review-fixture.js";
import { outsideRunFolderLayout } from "../helpers/run-folder-layout.js";
import { HAS_BWRAP, NO_BWRAP } from "../helpers/sandbox.js";
import { skipReasons, skipTitle } from "../helpers/skip.js";
import { waitUntil } from "../helpers/wait.js";

/** Why the groups that verify with the Python fixture in the sandbox skip here. */
const NO_BWRAP_OR_PYTEST = skipReasons(NO_BWRAP, NO_DEBIAN_PYTEST);

/** An external coding agent as a shell script, in a folder the sandbox shows read-only (the config says so). */
function writeAgent(root: string, name: string, lines: string[]): { agent: string; config: string } {
  const tools = join(root, "agent-bin");
  mkdirSync(tools, { recursive: true });
  const agent = join(tools, name);
  writeFileSync(agent, ["#!/bin/sh", ...lines].join("\n"));
  chmodSync(agent, 0o755);
  const config = join(root, "config.yaml");
  writeFileSync(config, `sandbox:\n  readOnly: ["${tools}"]\n`);
  return { agent, config };
}

const servers: MockOpenAIServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe.skipIf(NO_BWRAP)(
  skipTitle("swe-review loop (iterative), against scripted generator and reviewer", NO_BWRAP),
  () => {
    it("rejects a symptom fix, revises with the feedback, approves the root-cause fix and stops after 2 samples", async () => {
      const { repo, base } = makeFixtureRepo();
      const files = fixtureFiles();
      const generator = await startMockServer({ script: GENERATOR });
      const reviewer = await startMockServer({
        script: [...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)],
      });
      servers.push(generator, reviewer);
      const out = join(files.root, "loop");
      const result = await runCli(
        [
          "loop",
          "--repo",
          repo.dir,
          "--base",
          base,
          "--issue",
          files.issue,
          "--out",
          out,
          "--generator",
          "SWE-Review-30B-A3B",
          "--generator-base-url",
          generator.baseUrl,
          "--reviewer",
          "SWE-Review-30B-A3B",
          "--reviewer-base-url",
          reviewer.baseUrl,
          "--strategy",
          "iterative",
          "--budget",
          "3",
        ],
        { env: files.env, timeoutMs: 180_000 },
      );
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.code).toBe(0);
      const record = JSON.parse(readFileSync(join(out, "loop.json"), "utf8"));
      expect(record).toMatchObject({
        strategy: "iterative",
        samples_spent: 2,
        reviewer_calls: 2,
        submitted: 2,
        outcome: "approved",
      });
      expect(
        record.samples.map((s: { kind: string; review?: { decision: string } }) => [
          s.kind,
          s.review?.decision,
        ]),
      ).toEqual([
        ["generation", "request_changes"],
        ["revision", "approve"],
      ]);
      expect(record.tokens.generator.prompt_tokens).toBeGreaterThan(0);
      expect(record.tokens.reviewer.prompt_tokens).toBeGreaterThan(0);

      const finalPatch = readFileSync(join(out, "final.patch"), "utf8");
      expect(finalPatch).toContain('+FACTORS = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}');
      expect(finalPatch).not.toContain("report.py");
      expect(readFileSync(join(out, "rounds", "01-generation", "candidate.patch"), "utf8")).toContain(
        "except KeyError",
      );
      expect(JSON.parse(readFileSync(join(out, "rounds", "02-revision", "pr.json"), "utf8"))).toMatchObject({
        pr_title: "fix: support ounces",
        source: "file",
      });

      // the revision was given exactly the reviewer's feedback, and the reviewer saw the revised PR
      const reject = parseReviewReport(REJECT_REPORT);
      if (!reject.ok) throw new Error("fixture report");
      const revisionTask = JSON.parse(generator.chatBodies[4] ?? "{}").messages[1].content as string;
      expect(revisionTask).toContain(`## Review Feedback\n\n${renderFeedback(reject.report)}\n`);
      expect(revisionTask).toContain("your previous patch is NOT applied");
      expect(renderFeedback(reject.report)).toContain("(inventory/units.py:1)");
      const secondReview = readFileSync(join(out, "rounds", "02-review", "trajectory.jsonl"), "utf8");
      expect(secondReview).toMatch(/PR: fix: support ounces\\n ?M inventory\/units\.py/);
      expect(readFileSync(join(out, "rounds", "01-review", "trajectory.jsonl"), "utf8")).toMatch(
        /PR: fix: skip unknown units\\n ?M inventory\/report\.py/,
      );

      expect(result.stdout).toMatch(/^sample\s+kind\s+patch\s+review/);
      expect(result.stdout).toMatch(
        /iterative: submitted sample 2 \(approved\) · samples spent 2\/3 · reviewer calls 2/,
      );
      expect(repo.git("status", "--porcelain")).toBe("");
      // every file the loop wrote is in the run-folder layout a working-tree review leaves out
      expect(outsideRunFolderLayout(out)).toEqual([]);
    });
  },
);

describe.skipIf(NO_BWRAP)(skipTitle("swe-review loop --from-previous", NO_BWRAP), () => {
  it("revises on top of the rejected patch instead of a clean base", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const reviewer = await startMockServer({
      script: [...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)],
    });
    servers.push(reviewer);
    const { agent, config } = writeAgent(files.root, "agent.sh", [
      'instruction="$1"; workdir="$2"',
      'if grep -q "skip unknown" "$workdir/inventory/report.py"; then echo "starts from the previous patch"; else echo "starts from a clean base"; fi',
      'if grep -q "Review Feedback" "$instruction"; then',
      '  sed -i \'s/"lb": 453.592}/"lb": 453.592, "oz": 28.3495}/\' "$workdir/inventory/units.py"',
      "else",
      '  sed -i \'s/for quantity, unit in items)/for quantity, unit in items if unit != "oz")  # skip unknown units/\' "$workdir/inventory/report.py"',
      "fi",
    ]);
    const out = join(files.root, "loop");
    const result = await runCli(
      [
        "loop",
        "--config",
        config,
        "--repo",
        repo.dir,
        "--base",
        base,
        "--issue",
        files.issue,
        "--out",
        out,
        "--generator",
        `${agent} {instruction_file} {workdir}`,
        "--reviewer",
        "SWE-Review-30B-A3B",
        "--reviewer-base-url",
        reviewer.baseUrl,
        "--strategy",
        "iterative",
        "--budget",
        "3",
        "--from-previous",
      ],
      { env: files.env, timeoutMs: 180_000 },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const round = (name: string, file: string) => readFileSync(join(out, "rounds", name, file), "utf8");
    expect(round("01-generation", "generator.log")).toContain("starts from a clean base");
    expect(round("02-revision", "generator.log")).toContain("starts from the previous patch");
    // The revision's patch is against the base: the first change and the fix on top of it.
    const final = readFileSync(join(out, "final.patch"), "utf8");
    expect(final).toContain("# skip unknown units");
    expect(final).toContain('"oz": 28.3495');
  });

  it("lets the reviser write every file the previous patch touched: changed, new, in a new folder, deleted, renamed", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const reviewer = await startMockServer({
      script: [...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)],
    });
    servers.push(reviewer);
    // Appends (`>>`) write the file itself, where `sed -i` would replace it and so pass whoever owns it.
    const { agent, config } = writeAgent(files.root, "agent.sh", [
      'instruction="$1"; cd "$2" || exit 1',
      'if grep -q "Review Feedback" "$instruction"; then',
      "  failed=0",
      '  write() { if ! { mkdir -p "$(dirname "$1")" && echo "# revised" >> "$1"; } 2>/dev/null; then echo "cannot write $1: $(ls -ld "$1" "$(dirname "$1")" 2>&1 | tr \'\\n\' \' \')"; failed=1; fi; }',
      "  write inventory/report.py",
      "  write inventory/extra.py",
      "  write inventory/sub/new.py",
      "  write inventory/sub/more.py",
      "  write inventory/newer/deep/file.py",
      "  write tests/test_units.py",
      "  write inventory/units.py",
      "  write inventory/weights.py",
      '  [ "$failed" = 0 ] && echo "revised every file"',
      "  exit $failed",
      "else",
      "  sed -i 's/for quantity, unit in items)/for quantity, unit in items if unit != \"oz\")  # skip unknown units/' inventory/report.py",
      '  echo "EXTRA = 1" > inventory/extra.py',
      '  mkdir -p inventory/sub && echo "NEW = 1" > inventory/sub/new.py',
      "  rm tests/test_units.py",
      "  mv inventory/units.py inventory/weights.py",
      "fi",
    ]);
    // (`inventory/newer/deep/` is new in the revision: a folder made under one the reviser owns.)
    const out = join(files.root, "loop");
    const result = await runCli(
      [
        "loop",
        "--config",
        config,
        "--repo",
        repo.dir,
        "--base",
        base,
        "--issue",
        files.issue,
        "--out",
        out,
        "--generator",
        `${agent} {instruction_file} {workdir}`,
        "--reviewer",
        "SWE-Review-30B-A3B",
        "--reviewer-base-url",
        reviewer.baseUrl,
        "--strategy",
        "iterative",
        "--budget",
        "3",
        "--from-previous",
      ],
      { env: files.env, timeoutMs: 180_000 },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const log = readFileSync(join(out, "rounds", "02-revision", "generator.log"), "utf8");
    expect(log).not.toContain("cannot write");
    expect(log).toContain("revised every file");
    const final = readFileSync(join(out, "final.patch"), "utf8");
    for (const path of [
      "inventory/report.py",
      "inventory/extra.py",
      "inventory/sub/new.py",
      "inventory/sub/more.py",
      "inventory/newer/deep/file.py",
      "tests/test_units.py",
      "inventory/weights.py",
    ])
      expect(final).toContain(`b/${path}`);
    expect(final).toContain("# skip unknown units");
    expect(final).toContain("# revised");
  });
});

describe.skipIf(NO_BWRAP_OR_PYTEST)(skipTitle("swe-review loop --verify", NO_BWRAP_OR_PYTEST), () => {
  it("takes the issue from a dataset instance and grades each sample with its tests: the approved revision resolves it", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const generator = await startMockServer({ script: GENERATOR });
    const reviewer = await startMockServer({
      script: [...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)],
    });
    servers.push(generator, reviewer);
    const { dataset, config } = writeInventoryDataset(files.root, base);
    const out = join(files.root, "loop");
    const result = await runCli(
      [
        "loop",
        "--config",
        config,
        "--repo",
        repo.dir,
        "--dataset",
        dataset,
        "--instance",
        INSTANCE_ID,
        "--verify",
        "--out",
        out,
        "--generator-base-url",
        generator.baseUrl,
        "--reviewer-base-url",
        reviewer.baseUrl,
        "--budget",
        "3",
      ],
      { env: files.env, timeoutMs: 240_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/sample 1 \(generation\): \d+ bytes, does not resolve the issue/);
    expect(result.stderr).toMatch(/sample 2 \(revision\): \d+ bytes, resolves the issue/);
    const record = readLoopRecord(out);
    expect(record).toMatchObject({ samples_spent: 2, submitted: 2, outcome: "approved", resolved: true });
    expect(record.samples.map((s) => [s.kind, s.review?.decision, s.resolved])).toEqual([
      ["generation", "request_changes", false],
      ["revision", "approve", true],
    ]);
    // the generator was given the instance's issue text
    expect(JSON.parse(generator.chatBodies[0] ?? "{}").messages[1].content).toContain("KeyError: 'oz'");
    const first = VerifyResultSchema.parse(
      JSON.parse(readFileSync(join(out, "rounds", "01-generation", "verify.json"), "utf8")),
    );
    expect(first).toMatchObject({
      candidate_id: "demo__inventory-1@sample-1",
      applied: true,
      resolved: false,
    });
    expect(first.f2p.failed).toEqual([OZ_TEST]);
    const second = VerifyResultSchema.parse(
      JSON.parse(readFileSync(join(out, "rounds", "02-revision", "verify.json"), "utf8")),
    );
    expect(second).toMatchObject({ resolution: "FULL", resolved: true });
    expect(readFileSync(join(out, "rounds", "02-revision", "verify.log"), "utf8")).toContain(
      "PASSED tests/test_units.py::TestWeights::test_oz",
    );
    expect(result.stdout).toMatch(/· resolved: yes/);
    expect(outsideRunFolderLayout(out)).toEqual([]);
  });

  it("asks for the dataset when --verify has no instance to run the tests of", async () => {
    const files = fixtureFiles();
    const result = await runCli(["loop", "--issue", files.issue, "--base", "HEAD", "--verify"], {
      env: files.env,
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("--verify needs --dataset <file> --instance <id>");
  });
});

describe.skipIf(NO_BWRAP)(skipTitle("swe-review loop, stopped with Ctrl-C", NO_BWRAP), () => {
  it("stops the generation in flight, keeps loop.json and leaves no workspace behind", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    // the generator's first answer takes a minute: Ctrl-C comes while the loop waits for it
    const generator = await startMockServer({ script: [{ fault: "delay", ms: 60_000 }] });
    const reviewer = await startMockServer({ script: [] });
    servers.push(generator, reviewer);
    const out = join(files.root, "loop");
    const workspaces = join(files.root, "tmp", "swe-review-workspaces"); // under the run's TMPDIR
    const child = spawn(
      process.execPath,
      [
        CLI,
        "loop",
        "--repo",
        repo.dir,
        "--base",
        base,
        "--issue",
        files.issue,
        "--out",
        out,
        "--generator-base-url",
        generator.baseUrl,
        "--reviewer-base-url",
        reviewer.baseUrl,
      ],
      { env: files.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await waitUntil(() => generator.chatBodies.length > 0, "the generator's first request", 20_000);
    const stoppedAt = Date.now();
    child.kill("SIGINT");
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect(stderr).toContain(`[stopped: the rounds so far and loop.json are in ${out}]`);
    expect(JSON.parse(readFileSync(join(out, "loop.json"), "utf8"))).toMatchObject({ samples_spent: 1 });
    expect(reviewer.chatBodies).toHaveLength(0);
    expect(existsSync(workspaces) ? readdirSync(workspaces) : []).toEqual([]);
  });
});

describe("swe-review generate with an external agent command", () => {
  it("runs the command in the workspace and takes its changes and PR content as the candidate", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const { agent, config } = writeAgent(files.root, "fix-agent.sh", [
      "# A tiny coding agent: reads its task, edits the code, writes the PR content next to the repository.",
      'instruction="$1"; workdir="$2"',
      'grep -q "KeyError" "$instruction" || { echo "no task"; exit 2; }',
      'sed -i \'s/"lb": 453.592}/"lb": 453.592, "oz": 28.3495}/\' "$workdir/inventory/units.py"',
      'pr="$(dirname "$workdir")"; [ "$pr" = "/" ] || pr="$pr/rootfs"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template.
      'printf \'{"pr_title": "fix: ounces", "pr_body": "Adds oz."}\' > "${pr%/}/pr_content.json"',
      'echo "edited $workdir"',
    ]);
    const out = join(files.root, "gen");
    const result = await runCli(
      [
        "generate",
        "--config",
        config,
        "--repo",
        repo.dir,
        "--base",
        base,
        "--issue",
        files.issue,
        "--out",
        out,
        "--generator",
        `${agent} {instruction_file} {workdir}`,
        ...(HAS_BWRAP ? [] : ["--sandbox", "local"]),
      ],
      { env: files.env, timeoutMs: 60_000 },
    );
    expect(result.stderr).toMatch(/\[command_succeeded; \d+ bytes; PR "fix: ounces" \(file\)/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('+FACTORS = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}');
    expect(readFileSync(join(out, "generator.log"), "utf8")).toMatch(/edited \/.*testbed/);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect(outsideRunFolderLayout(out)).toEqual([]);
  });

  it.skipIf(NO_BWRAP)(
    skipTitle("keeps an external agent off the network unless --generator-network", NO_BWRAP),
    async () => {
      const { repo, base } = makeFixtureRepo();
      const files = fixtureFiles();
      const server = await startMockServer({});
      servers.push(server);
      const { agent, config } = writeAgent(files.root, "net-agent.sh", [
        'workdir="$1"; url="$2"',
        '/usr/bin/python3 -c \'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3); print("reached the host")\' "$url" 2>/dev/null || echo offline',
        'echo "# touched" >> "$workdir/inventory/units.py"',
      ]);
      const generate = async (extra: string[]) => {
        const out = join(files.root, `gen-${extra.length}`);
        const result = await runCli(
          [
            "generate",
            "--config",
            config,
            "--repo",
            repo.dir,
            "--base",
            base,
            "--issue",
            files.issue,
            "--out",
            out,
            "--generator",
            `${agent} {workdir} ${server.baseUrl}/models`,
            ...extra,
          ],
          { env: files.env, timeoutMs: 60_000 },
        );
        expect(result.code, result.stderr).toBe(0);
        return readFileSync(join(out, "generator.log"), "utf8");
      };
      expect(await generate([])).toContain("offline");
      expect(await generate(["--generator-network"])).toContain("reached the host");
    },
  );

  it("names a bad placeholder and an unset --generator-env", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const bad = await runCli(
      [
        "generate",
        "--repo",
        repo.dir,
        "--base",
        base,
        "--issue",
        files.issue,
        "--generator",
        "agent {prompt}",
      ],
      {
        env: files.env,
      },
    );
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/Unknown placeholder \{prompt\}/);
    const unset = await runCli(
      [
        "generate",
        "--repo",
        repo.dir,
        "--base",
        base,
        "--issue",
        files.issue,
        "--generator",
        "claude",
        "--generator-env",
        "NO_SUCH_KEY_X",
      ],
      { env: files.env },
    );
    expect(unset.code).toBe(3);
    expect(unset.stderr).toMatch(/--generator-env NO_SUCH_KEY_X: that variable is not set/);
  });
});
