/**
 * What running a real agent CLI as swe-review's generator costs, side by side with what a user would do by hand:
 *   - by hand: a fresh clone of the repository and the CLI run in it on the host (no sandbox, the user's own
 *     setup), then `git diff` for the patch;
 *   - swe-review: `swe-review generate --generator <agent>` (workspace, bubblewrap sandbox with a private home,
 *     the CLI, candidate extraction, records).
 * The CLI is the real one (installed as the end-to-end tests install it) and talks to our mock of its API, which
 * plays the same three-turn fix each run (read the file, edit it, answer), so the difference is swe-review's.
 * Each column is the median of `--runs` runs.
 *
 *   npm run build && npm run bench:agent-cli-generator [-- --runs 5]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startMockAnthropicServer } from "../src/model/mock-server/anthropic-server.js";
import type { ScriptEntry } from "../src/model/scripted/script.js";
import { installAgentCli } from "../test/helpers/agent-cli-install.js";
import { runCli, runProcess } from "../test/helpers/cli.js";
import { fixtureFiles, makeFixtureRepo } from "../test/helpers/review-fixture.js";
import { median } from "./stats.js";

const at = process.argv.indexOf("--runs");
const runs = (at >= 0 ? Number(process.argv[at + 1]) : 0) || 5;
const KEY = "sk-ant-bench-0000000000000000";

/** The same fix, by Claude Code's own tools, at the path the run works in. */
function script(dir: string): ScriptEntry[] {
  const file = `${dir}/inventory/units.py`;
  return [
    { toolCalls: [{ name: "Read", arguments: { file_path: file } }] },
    {
      toolCalls: [
        {
          name: "Edit",
          arguments: {
            file_path: file,
            old_string: '"lb": 453.592}',
            new_string: '"lb": 453.592, "oz": 28.3495}',
          },
        },
      ],
    },
    { content: "Added the ounce factor." },
  ];
}

const installed = installAgentCli("claude", "@anthropic-ai/claude-code", "2.1");
if (installed.skip) {
  console.log(`skipped: ${installed.skip}`);
  process.exit(0);
}

const byHand: number[] = [];
const sweReview: number[] = [];
for (let run = 0; run < runs; run += 1) {
  const files = fixtureFiles();
  const { repo, base } = makeFixtureRepo();
  // By hand: clone, run the CLI on the host in the clone, take the diff.
  const clone = join(files.root, "clone");
  const hand = await startMockAnthropicServer({ script: script(clone), apiKey: KEY });
  const home = mkdtempSync(join(tmpdir(), "bench-claude-home-"));
  let started = performance.now();
  execFileSync("git", ["clone", "-q", repo.dir, clone]);
  execFileSync("git", ["checkout", "-q", base], { cwd: clone });
  // Not spawnSync: the mock answers from this process.
  const direct = await runProcess(
    join(installed.bin, "claude"),
    ["-p", "Fix the issue.", "--dangerously-skip-permissions", "--output-format", "json"],
    {
      cwd: clone,
      input: "",
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        IS_SANDBOX: "1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        ANTHROPIC_API_KEY: KEY,
        ANTHROPIC_BASE_URL: hand.baseUrl,
      },
      timeoutMs: 300_000,
    },
  );
  const diff = execFileSync("git", ["diff"], { cwd: clone, encoding: "utf8" });
  byHand.push((performance.now() - started) / 1000);
  await hand.close();
  rmSync(home, { recursive: true, force: true });
  if (direct.code !== 0 || !diff.includes("oz")) throw new Error(`by hand: ${direct.stderr}${direct.stdout}`);

  // swe-review: the same CLI as the generator, in the sandbox.
  const server = await startMockAnthropicServer({ script: script("/testbed"), apiKey: KEY });
  const out = join(files.root, "out");
  started = performance.now();
  const result = await runCli(
    [
      "generate",
      "--repo",
      repo.dir,
      "--base",
      base,
      "--issue",
      files.issue,
      "--out",
      out,
      "--generator",
      "claude",
      "--generator-network",
      "--generator-env",
      "ANTHROPIC_API_KEY",
      "ANTHROPIC_BASE_URL",
    ],
    {
      env: {
        ...files.env,
        PATH: `${installed.bin}:${files.env.PATH}`,
        ANTHROPIC_API_KEY: KEY,
        ANTHROPIC_BASE_URL: server.baseUrl,
      },
      timeoutMs: 300_000,
    },
  );
  sweReview.push((performance.now() - started) / 1000);
  await server.close();
  if (result.code !== 0) throw new Error(`swe-review: ${result.stderr}`);
  rmSync(files.root, { recursive: true, force: true });
  rmSync(repo.dir, { recursive: true, force: true });
}

const hand = median(byHand);
const swe = median(sweReview);
console.log(
  `claude ${execFileSync(join(installed.bin, "claude"), ["--version"], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: tmpdir() } }).trim()}, median of ${runs} runs, a 3-turn fix against the mock:`,
);
console.log("");
console.log(
  "| | by hand (clone + CLI on the host + git diff) | swe-review generate --generator claude | difference |",
);
console.log("|---|---|---|---|");
console.log(`| wall time | ${hand.toFixed(2)} s | ${swe.toFixed(2)} s | +${(swe - hand).toFixed(2)} s |`);
