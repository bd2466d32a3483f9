#!/usr/bin/env node
// Starts `swe-review mcp` for Claude Code (the plugin's .mcp.json runs this). It finds the swe-review CLI in this
// order: $SWE_REVIEW_CLI (a path to dist/cli.js or to an executable), the CLI of the repository this plugin
// folder lives in (plugins/claude-code inside a built clone), then `swe-review` on PATH. The server speaks MCP on
// this process's stdin/stdout; anything this script says goes to stderr.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pluginRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The command that runs the CLI: node for a .js file, the file itself otherwise. */
function launcher(path) {
  return path.endsWith(".js") || path.endsWith(".mjs")
    ? { command: process.execPath, args: [path] }
    : { command: path, args: [] };
}

function findCli() {
  const given = process.env.SWE_REVIEW_CLI;
  if (given) {
    if (!existsSync(given)) return { error: `SWE_REVIEW_CLI=${given}: no such file.` };
    return launcher(given);
  }
  const inRepository = join(pluginRoot, "..", "..", "dist", "cli.js");
  if (existsSync(inRepository)) return launcher(inRepository);
  const installed = onPath("swe-review");
  if (installed) return launcher(installed);
  return {
    error:
      "the swe-review CLI was not found. Install it (from a clone: npm ci && npm run build && npm link), or set SWE_REVIEW_CLI to its dist/cli.js, then restart Claude Code.",
  };
}

const cli = findCli();
if (cli.error) {
  process.stderr.write(`swe-review plugin: ${cli.error}\n`);
  process.exit(1);
}
const child = spawn(cli.command, [...cli.args, "mcp", ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  process.stderr.write(`swe-review plugin: could not start ${cli.command}: ${error.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
