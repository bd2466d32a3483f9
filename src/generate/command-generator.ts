import { writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { SweReviewError } from "../common/errors.js";
import { SecretScrubber } from "../common/secrets.js";
import { type Usage, ZERO_USAGE } from "../model/types.js";
import type { OpenSandbox } from "../workspace/sandbox/open.js";
import { AGENT_HOME, type CliUsage, CliUsageSchema, USAGE_NOT_REPORTED } from "./agent-clis/agent-cli.js";
import { AGENT_CLIS } from "./agent-clis/table.js";
import { renderCommandTemplate } from "./external-command.js";
import type { GenerationEnvironment, Generator, GeneratorOutcome } from "./generation.js";

/**
 * An external coding agent as the generator: its command template rendered with the instruction file, run in the
 * agent's sandbox until it exits or `timeoutMs` passes; `generator.log` holds the command as run (secrets redacted),
 * its output and how it ended; the usage a ready-made agent CLI reports is read from its output.
 */
export async function runCommandGenerator(
  generator: Extract<Generator, { kind: "command" }>,
  sandbox: OpenSandbox,
  task: string,
  env: GenerationEnvironment,
): Promise<GeneratorOutcome> {
  const instructionFile = `${sandbox.paths.tmp.replace(/\/$/, "")}/swe-review-instruction.md`;
  await sandbox.files.write(instructionFile, task);
  const agentCli = generator.agent ? AGENT_CLIS[generator.agent] : undefined;
  const homeFiles = Object.entries(agentCli?.homeFiles ?? {}).map(
    ([path, content]) => [posix.join(AGENT_HOME, path), content] as const,
  );
  if (homeFiles.length > 0) {
    await sandbox.files.run(["mkdir", "-p", ...new Set(homeFiles.map(([path]) => posix.dirname(path)))]);
    for (const [path, content] of homeFiles) await sandbox.files.write(path, content);
  }
  const command = renderCommandTemplate(generator.template, {
    instructionFile,
    workdir: sandbox.paths.testbed,
    ...(generator.model ? { model: generator.model } : {}),
  });
  const hidden = agentCli?.hiddenProjectPaths ?? [];
  const stash = `${sandbox.paths.tmp.replace(/\/$/, "")}/swe-review-hidden-project-config`;
  if (hidden.length > 0) await moveEach(sandbox, HIDE, sandbox.paths.testbed, stash, hidden);
  let result: Awaited<ReturnType<typeof sandbox.shell.run>>;
  try {
    result = await sandbox.shell.run(`cd ${sandbox.paths.testbed} && ${command}`, generator.timeoutMs);
  } finally {
    if (hidden.length > 0) await moveEach(sandbox, RESTORE, sandbox.paths.testbed, stash, hidden);
  }
  const scrub = new SecretScrubber([
    ...(env.secrets ?? []),
    ...Object.values(generator.env),
    ...(generator.secrets ?? []),
  ]);
  const ending = result.timedOut
    ? `[stopped: no exit within --generator-timeout (${generator.timeoutMs / 1000} s)]`
    : `[exit ${result.exitCode}]`;
  writeFileSync(
    join(env.outDir, "generator.log"),
    scrub.scrub(`$ ${command}\n${result.output}\n${ending}\n`),
  );
  const status = result.timedOut
    ? "command_timeout"
    : result.exitCode === 0
      ? "command_succeeded"
      : "command_failed";
  // What a CLI printed is checked like any input: figures out of range (a hostile endpoint's) count as not reported.
  const parsed = CliUsageSchema.safeParse(agentCli?.usage?.(result.output));
  const reported = parsed.success ? parsed.data : undefined;
  return {
    status,
    usage: reported ? usageTotals(reported) : ZERO_USAGE,
    usageReport: reported ? { version: 1, source: "cli", ...reported } : USAGE_NOT_REPORTED,
    steps: 0,
  };
}

/** Moves each path present out of the repository into the stash (`$1` = repository, `$2` = stash). */
const HIDE = `tb=$1 st=$2; shift 2; mkdir -p "$st" && for p in "$@"; do if [ -e "$tb/$p" ] || [ -L "$tb/$p" ]; then rm -rf "$st/$p" && mv "$tb/$p" "$st/$p" || exit 1; fi; done`;
/** Puts each stashed path back, replacing whatever the agent left at its place. */
const RESTORE = `tb=$1 st=$2; shift 2; for p in "$@"; do if [ -e "$st/$p" ] || [ -L "$st/$p" ]; then rm -rf "$tb/$p" && mv "$st/$p" "$tb/$p" || exit 1; fi; done`;

async function moveEach(
  sandbox: OpenSandbox,
  script: string,
  testbed: string,
  stash: string,
  paths: readonly string[],
): Promise<void> {
  const result = await sandbox.files.run(["sh", "-c", script, "sh", testbed, stash, ...paths]);
  if (result.exitCode !== 0) {
    throw new SweReviewError(
      "sandbox_op_failed",
      `Could not move the agent's project configuration (${paths.join(", ")}): ${result.stderr}`,
    );
  }
}

/** Reported figures as totals for sums (a figure not reported counts 0 there; the report keeps it null). */
function usageTotals(reported: CliUsage): Usage {
  const cacheRead = reported.cacheReadTokens ?? 0;
  const cacheWrite = reported.cacheWriteTokens ?? 0;
  return {
    // Anthropic's input_tokens excludes the cached prompt; ours includes it.
    promptTokens: (reported.inputTokens ?? 0) + cacheRead + cacheWrite,
    completionTokens: reported.outputTokens ?? 0,
    cachedTokens: cacheRead,
    ...(reported.cacheWriteTokens === null ? {} : { cacheWriteTokens: cacheWrite }),
    costUsd: reported.costUsd ?? 0,
  };
}
