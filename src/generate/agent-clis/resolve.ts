import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, sep } from "node:path";
import { InputError } from "../../common/errors.js";
import { isSystemPath } from "../../workspace/sandbox/bwrap-mounts.js";
import type { AgentCli } from "./agent-cli.js";
import { AGENT_CLIS } from "./table.js";

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
      `--generator ${name}: the command \`${cli.binary}\` is not installed (looked on PATH, in npm's global bin, ~/.local/bin, ~/.npm-global/bin and nvm's folders). Install it: npm install -g ${cli.npmPackage}`,
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
 * The folder to expose for the binary: the `node_modules` folder its npm package is installed in. It holds what the
 * package needs at run time: its hoisted dependencies (a JS CLI such as qwen or gemini) and the platform package a
 * native CLI is split into (`@anthropic-ai/claude-code-linux-x64`, `opencode-linux-x64`). For a global install that is
 * npm's global `lib/node_modules`: code, read-only. A binary not in an npm package (a standalone install): that file
 * alone, not its folder (`~/bin` may hold anything).
 */
function packageDir(binary: string, npmPackage: string): string {
  const marker = `${sep}node_modules${sep}${npmPackage.split("/").join(sep)}${sep}`;
  const at = binary.lastIndexOf(marker);
  if (at < 0) return binary;
  return binary.slice(0, at + `${sep}node_modules`.length);
}

function realNodeDir(dir: string): string {
  return dirname(realpathSync(join(dir, "node")));
}
