import { z } from "zod";

/**
 * A ready-made external coding agent: an npm-installed CLI run as the generator in the sandbox. One file per agent
 * in this folder describes it; `AGENT_CLIS` (table.ts) lists them.
 */
export interface AgentCli {
  /** The command users run (`claude`), looked for on the host by `resolveAgentCli`. */
  binary: string;
  /** The npm package that installs it: named in the "not installed" error, and its folder is exposed read-only. */
  npmPackage: string;
  /** The version the end-to-end test runs (the README's table of agents). */
  testedVersion: string;
  /** Settings the agent runs with in the sandbox (non-interactive, no telemetry, no self-update). Not secrets. */
  env: Record<string, string>;
  /** Passed with `--generator-env`, at least one of these: the agent's credentials. */
  credentialEnv: readonly string[];
  /**
   * Where the CLI keeps a login made without an API key (an OAuth subscription), relative to the user's home
   * (`.claude/.credentials.json`). Exposed read-only at the same place in the agent's home only when the user opts
   * in (`--generator-login`); then no credential variable is required.
   */
  loginFiles?: readonly string[];
  /** The variable it reads its API's base URL from: `--generator-base-url` is passed there. */
  baseUrlEnv: string;
  /** The variable it reads its model from, set from `--generator-model` when given (`ANTHROPIC_MODEL`). */
  modelEnv?: string;
  /** Other variables it reads (base URL, model), shown in `--help` and the README; passed with `--generator-env`. */
  optionalEnv?: readonly string[];
  /**
   * Files written into the agent's private home (`AGENT_HOME`) before it starts, by path relative to it: its
   * settings (never secrets; the CLI reads those from its environment).
   */
  homeFiles?: Record<string, string>;
  /**
   * Paths of the repository (relative to /testbed) that the CLI would load as its project configuration with no
   * switch to turn that off: moved out of the repository while the CLI runs, put back afterwards (also after a
   * timeout), so the candidate is not changed by it.
   */
  hiddenProjectPaths?: readonly string[];
  /** The command, given the binary's absolute path; placeholders as in `renderCommandTemplate`. */
  template: (binary: string) => string;
  /** The usage the agent reports in its output, if it does; undefined when the output holds no report. */
  usage?: (output: string) => CliUsage | undefined;
  /** What `usage` accounts, for the README's table ("tokens and cost", "tokens", "nothing"). */
  accounts: string;
}

/** A private writable home for the agent inside the sandbox (its config and session files), under the sandbox's /tmp. */
export const AGENT_HOME = "/tmp/agent-home";

/**
 * The usage an external CLI reported; null where it did not say (never a made-up 0). `inputTokens` counts the prompt
 * tokens neither read from nor written to the cache (Anthropic's `input_tokens`); a CLI that reports the whole prompt
 * has the cached part taken off by its parser.
 */
const TokenCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable();

export const CliUsageSchema = z.object({
  inputTokens: TokenCount,
  outputTokens: TokenCount,
  cacheReadTokens: TokenCount,
  cacheWriteTokens: TokenCount,
  costUsd: z.number().nonnegative().max(1e9).nullable(),
});
export type CliUsage = z.infer<typeof CliUsageSchema>;

/**
 * A generation's usage as its generator reported it (beside `usage`, whose figures are 0 when nothing was
 * reported): `agent` (our agent's count), `cli` (what an external CLI printed), `not_reported` (every figure null).
 * Records hold it in snake_case as `usage_report` (`UsageReportRecordSchema`, generate/usage-report-record.ts).
 */
export const UsageReportSchema = CliUsageSchema.extend({
  version: z.literal(1),
  source: z.enum(["agent", "cli", "not_reported"]),
});
/**
 * A generation's usage as its generator reported it; every figure null when `source` is `not_reported`. See
 * `UsageReportSchema`.
 */
export type UsageReport = z.infer<typeof UsageReportSchema>;

export const USAGE_NOT_REPORTED: UsageReport = Object.freeze({
  version: 1,
  source: "not_reported",
  inputTokens: null,
  outputTokens: null,
  cacheReadTokens: null,
  cacheWriteTokens: null,
  costUsd: null,
});

/** The lines of a CLI's output that parse as JSON values, in order (other lines, such as warnings, are skipped). */
export function jsonLines(output: string): unknown[] {
  const values: unknown[] = [];
  for (const line of output.split("\n")) {
    const text = line.trim();
    if (!text.startsWith("{") && !text.startsWith("[")) continue;
    try {
      values.push(JSON.parse(text));
    } catch {
      // Not JSON after all: a log line.
    }
  }
  return values;
}

/** A word for a POSIX shell command: bare when safe, single-quoted otherwise. */
export function shellWord(value: string): string {
  return /^[\w./:@=+-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
