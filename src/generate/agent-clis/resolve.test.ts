import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../common/errors.js";
import { parseGeneratorSpec, renderCommandTemplate } from "../external-command.js";
import { claudeUsage } from "./claude.js";
import { resolveAgentCli } from "./resolve.js";
import { AGENT_CLIS } from "./table.js";

function executable(path: string): void {
  writeFileSync(path, "#!/bin/sh\n");
  chmodSync(path, 0o755);
}

/** An npm prefix as `npm install -g` leaves it: bin/claude → ../lib/node_modules/@anthropic-ai/claude-code/… */
function npmPrefix(): string {
  const prefix = mkdtempSync(join(tmpdir(), "agent-cli-"));
  const pkg = join(prefix, "lib", "node_modules", "@anthropic-ai", "claude-code", "bin");
  mkdirSync(pkg, { recursive: true });
  mkdirSync(join(prefix, "lib", "node_modules", "@anthropic-ai", "claude-code-linux-x64"));
  executable(join(pkg, "claude.exe"));
  mkdirSync(join(prefix, "bin"));
  symlinkSync("../lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe", join(prefix, "bin", "claude"));
  return prefix;
}

describe("resolveAgentCli", () => {
  it("finds claude on PATH, resolves the link and exposes the node_modules it is installed in (its platform package) read-only", () => {
    const prefix = npmPrefix();
    const resolved = resolveAgentCli("claude", {
      env: { PATH: `/nonexistent:${join(prefix, "bin")}` },
      home: prefix,
      npmPrefix: "/nonexistent",
    });
    expect(resolved.binary).toBe(join(prefix, "lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe"));
    expect(resolved.readOnly).toEqual([join(prefix, "lib/node_modules")]);
  });

  it("finds it in npm's global bin, ~/.local/bin and nvm's versions", () => {
    const prefix = npmPrefix();
    expect(
      resolveAgentCli("claude", { env: { PATH: "" }, home: "/nonexistent", npmPrefix: prefix }).binary,
    ).toContain(prefix);
    const home = mkdtempSync(join(tmpdir(), "agent-home-"));
    mkdirSync(join(home, ".local", "bin"), { recursive: true });
    executable(join(home, ".local", "bin", "claude"));
    const local = resolveAgentCli("claude", { env: { PATH: "" }, home, npmPrefix: "/nonexistent" });
    expect(local.binary).toBe(join(home, ".local", "bin", "claude"));
    // A binary outside an npm package: that file alone, not the folder beside it.
    expect(local.readOnly).toEqual([join(home, ".local", "bin", "claude")]);
    const nvm = mkdtempSync(join(tmpdir(), "agent-nvm-"));
    const bin = join(nvm, "versions", "node", "v20.1.0", "bin");
    mkdirSync(bin, { recursive: true });
    executable(join(bin, "claude"));
    executable(join(bin, "node"));
    const fromNvm = resolveAgentCli("claude", { env: { PATH: "", NVM_DIR: nvm }, home, npmPrefix: "/x" });
    expect(fromNvm.binary).toBe(join(home, ".local", "bin", "claude"));
    const onlyNvm = resolveAgentCli("claude", {
      env: { PATH: "", NVM_DIR: nvm },
      home: "/nonexistent",
      npmPrefix: "/x",
    });
    expect(onlyNvm.binary).toBe(join(bin, "claude"));
    // Its Node beside it is exposed too (a script agent runs with it).
    expect(onlyNvm.readOnly).toEqual([join(bin, "claude"), bin]);
  });

  it("is an input error naming the command and how to install it when it is nowhere", () => {
    const attempt = () =>
      resolveAgentCli("claude", { env: { PATH: "" }, home: "/nonexistent", npmPrefix: "/x" });
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/`claude` is not installed.*npm install -g @anthropic-ai\/claude-code/);
  });
});

describe("the claude agent", () => {
  it("is parsed as a ready-made agent, and its template runs non-interactively with stdin closed", () => {
    expect(parseGeneratorSpec("claude")).toEqual({ kind: "agent-cli", name: "claude" });
    const command = renderCommandTemplate(AGENT_CLIS.claude?.template("/opt/x/claude") ?? "", {
      instructionFile: "/tmp/i.md",
      workdir: "/testbed",
    });
    expect(command).toBe(
      'mkdir -p /tmp/agent-home && /opt/x/claude -p "$(cat /tmp/i.md)" --dangerously-skip-permissions --output-format json --setting-sources user --strict-mcp-config < /dev/null',
    );
    expect(AGENT_CLIS.claude?.env).toMatchObject({ IS_SANDBOX: "1", HOME: "/tmp/agent-home" });
  });

  it("reads usage from the JSON result, null where a figure is missing, nothing without a result", () => {
    const output = [
      "some warning",
      JSON.stringify({
        type: "result",
        total_cost_usd: 0.5,
        usage: { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 3 },
      }),
    ].join("\n");
    expect(claudeUsage(output)).toEqual({
      inputTokens: 10,
      outputTokens: 2,
      cacheReadTokens: 3,
      cacheWriteTokens: null,
      costUsd: 0.5,
    });
    expect(claudeUsage(JSON.stringify({ type: "result" }))).toEqual({
      inputTokens: null,
      outputTokens: null,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      costUsd: null,
    });
    expect(claudeUsage("Error: no API key\n")).toBeUndefined();
  });
});
