import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, sep } from "node:path";
import { z } from "zod";
import { InputError } from "../common/errors.js";
import { isSystemPath } from "../workspace/sandbox/bwrap-mounts.js";

/**
 * A ready-made external coding agent: an npm-installed CLI run as the generator in the sandbox. This table is the one
 * place to add another: the binary, the package that provides it, the environment it always runs with (not
 * secrets: the user's key comes in by `--generator-env`), the variables one of which must carry its credentials,
 * its command template and how to read the usage it prints.
 */
export interface AgentCli {
  binary: string;
  npmPackage: string;
  /** Settings the agent runs with in the sandbox (non-interactive, no telemetry, no self-update). */
  env: Record<string, string>;
  /** Passed with `--generator-env`, at least one of these: the agent's credentials. */
  credentialEnv: readonly string[];
  /** The command, given the binary's absolute path; placeholders as in `renderCommandTemplate`. */
  template: (binary: string) => string;
  /** The usage the agent reports in its output, if it does. */
  usage?: (output: string) => CliUsage | undefined;
}

/** A private writable home for the agent inside the sandbox (its config and session files), under the sandbox's /tmp. */
export const AGENT_HOME = "/tmp/agent-home";

export const AGENT_CLIS: Record<string, AgentCli> = {
  claude: {
    binary: "claude",
    npmPackage: "@anthropic-ai/claude-code",
    env: {
      // Claude Code refuses --dangerously-skip-permissions as root unless it is told it runs in a sandbox.
      IS_SANDBOX: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      HOME: AGENT_HOME,
    },
    credentialEnv: ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"],
    // stdin closed: with -p it otherwise waits for piped input.
    template: (binary) =>
      `mkdir -p ${AGENT_HOME} && ${shellWord(binary)} -p "$(cat {instruction_file})" --dangerously-skip-permissions --output-format json < /dev/null`,
    usage: claudeUsage,
  },
};

/** The usage an external CLI reported; null where it did not say (never a made-up 0). */
export const CliUsageSchema = z.object({
  inputTokens: z.number().nonnegative().nullable(),
  outputTokens: z.number().nonnegative().nullable(),
  cacheReadTokens: z.number().nonnegative().nullable(),
  cacheWriteTokens: z.number().nonnegative().nullable(),
  costUsd: z.number().nonnegative().nullable(),
});
export type CliUsage = z.infer<typeof CliUsageSchema>;

/**
 * A generation's usage as its generator reported it (result.json's `usageReport`, beside the older `usage` whose
 * figures are 0 when nothing was reported): `agent` (our agent's count), `cli` (what an external CLI printed),
 * `not_reported` (every figure null).
 */
export const UsageReportSchema = CliUsageSchema.extend({
  version: z.literal(1),
  source: z.enum(["agent", "cli", "not_reported"]),
});
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

const ClaudeResultSchema = z.object({
  type: z.literal("result"),
  total_cost_usd: z.number().optional(),
  usage: z
    .object({
      input_tokens: z.number().optional(),
      output_tokens: z.number().optional(),
      cache_read_input_tokens: z.number().optional(),
      cache_creation_input_tokens: z.number().optional(),
    })
    .optional(),
});

/** Claude Code's `--output-format json` result: the last line of its output that parses as one. */
export function claudeUsage(output: string): CliUsage | undefined {
  for (const line of output.split("\n").reverse()) {
    const text = line.trim();
    if (!text.startsWith("{")) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    const parsed = ClaudeResultSchema.safeParse(value);
    if (!parsed.success) continue;
    const usage = parsed.data.usage ?? {};
    return {
      inputTokens: usage.input_tokens ?? null,
      outputTokens: usage.output_tokens ?? null,
      cacheReadTokens: usage.cache_read_input_tokens ?? null,
      cacheWriteTokens: usage.cache_creation_input_tokens ?? null,
      costUsd: parsed.data.total_cost_usd ?? null,
    };
  }
  return undefined;
}

export interface ResolvedAgentCli {
  name: string;
  cli: AgentCli;
  /** The binary's real path (symlinks resolved). */
  binary: string;
  /** Host folders the sandbox sees read-only so that the binary runs (its package, and its Node if not a system one). */
  readOnly: string[];
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** npm's global prefix (`npm prefix -g`), if known. */
  npmPrefix?: string;
}

/** Finds an agent's binary on the host: PATH, npm's global bin, ~/.local/bin, nvm's Node versions. */
export function resolveAgentCli(name: string, options: ResolveOptions = {}): ResolvedAgentCli {
  const cli = AGENT_CLIS[name];
  if (!cli) throw new InputError("generator_template", `No ready-made agent named ${name}.`);
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const lookIn = (dirs: string[]) => dirs.map((dir) => join(dir, cli.binary)).find(isExecutableFile);
  const found =
    lookIn(candidateDirs(env, home, options.npmPrefix ?? env.npm_config_prefix)) ??
    (options.npmPrefix === undefined ? lookIn(npmGlobalBin()) : undefined);
  if (!found) {
    throw new InputError(
      "generator_not_found",
      `--generator ${name}: the command \`${cli.binary}\` is not installed (looked on PATH, in npm's global bin, ~/.local/bin and nvm's folders). Install it: npm install -g ${cli.npmPackage}`,
    );
  }
  const binary = realpathSync(found);
  const readOnly = [packageDir(binary, cli.npmPackage)];
  // A script run by `#!/usr/bin/env node` needs a Node: the one beside the link, unless it is a system one.
  const nodeDir = dirname(found);
  if (existsSync(join(nodeDir, "node")) && !isSystemPath(nodeDir)) readOnly.push(realNodeDir(nodeDir));
  return { name, cli, binary, readOnly: [...new Set(readOnly.filter((dir) => !isSystemPath(dir)))] };
}

function candidateDirs(env: NodeJS.ProcessEnv, home: string, npmPrefix: string | undefined): string[] {
  const dirs = (env.PATH ?? "").split(delimiter).filter((dir) => dir.startsWith("/"));
  if (npmPrefix) dirs.push(join(npmPrefix, "bin"));
  dirs.push(join(home, ".local", "bin"), join(home, ".npm-global", "bin"));
  const nvm = env.NVM_DIR ?? join(home, ".nvm");
  const versions = join(nvm, "versions", "node");
  for (const version of listDir(versions).sort().reverse()) dirs.push(join(versions, version, "bin"));
  return dirs;
}

/** npm's global bin (`npm prefix -g`), asked only when the binary is nowhere else. */
function npmGlobalBin(): string[] {
  try {
    const prefix = execFileSync("npm", ["prefix", "-g"], {
      encoding: "utf8",
      timeout: 15_000,
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return prefix ? [join(prefix, "bin")] : [];
  } catch {
    return [];
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isExecutableFile(path: string): boolean {
  try {
    const stat = statSync(path);
    return stat.isFile() && (stat.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * The folder to expose for the binary: its npm package's folder — for a scoped package, the scope's folder, which
 * holds the platform packages a native CLI is split into (`@anthropic-ai/claude-code-linux-x64`). A binary not in
 * an npm package (a standalone install): its own folder.
 */
function packageDir(binary: string, npmPackage: string): string {
  const marker = `${sep}node_modules${sep}${npmPackage.split("/").join(sep)}${sep}`;
  const at = binary.lastIndexOf(marker);
  if (at < 0) return dirname(binary);
  const packageRoot = binary.slice(0, at + marker.length - 1);
  return npmPackage.startsWith("@") ? dirname(packageRoot) : packageRoot;
}

function realNodeDir(dir: string): string {
  return dirname(realpathSync(join(dir, "node")));
}

function shellWord(value: string): string {
  return /^[\w./:@=+-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
