import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { runCli } from "../helpers/cli.js";
import { waitUntil } from "../helpers/wait.js";

// The documented layout (Claude Code plugins reference): .claude-plugin/plugin.json is the manifest; commands/*.md,
// agents/*.md, skills/<name>/SKILL.md, hooks/hooks.json and .mcp.json sit at the plugin root; paths inside the
// plugin are written with ${CLAUDE_PLUGIN_ROOT}; tools of a plugin's MCP server are named
// mcp__plugin_<plugin>_<server>__<tool>.
const REPO = resolve(import.meta.dirname, "../..");
const PLUGIN = join(REPO, "plugins", "claude-code");
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// biome-ignore lint/suspicious/noTemplateCurlyInString: the variable Claude Code substitutes, written literally
const ROOT_VARIABLE = "${CLAUDE_PLUGIN_ROOT}";

const ManifestSchema = z
  .object({
    name: z.string().regex(KEBAB),
    version: z.string().regex(/^\d+\.\d+\.\d+(-[\w.]+)?$/),
    description: z.string().min(20),
    author: z.object({ name: z.string().min(1), email: z.string().optional(), url: z.string().optional() }),
    license: z.string(),
    keywords: z.array(z.string()),
  })
  .strict();
const McpConfigSchema = z.object({
  mcpServers: z.record(
    z.string().regex(KEBAB),
    z
      .object({
        command: z.string(),
        args: z.array(z.string()),
        env: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
  ),
});
const CommandSchema = z.object({
  description: z.string().min(10),
  "argument-hint": z.string().optional(),
  "allowed-tools": z.string().optional(),
});
const AgentSchema = z.object({
  name: z.string().regex(KEBAB),
  description: z.string().min(40),
  tools: z.string(),
  model: z.enum(["inherit", "sonnet", "opus", "haiku"]).optional(),
});

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** The YAML frontmatter and the body of a Markdown component. */
function frontmatter(path: string): { data: unknown; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(readFileSync(path, "utf8"));
  if (!match?.[1] || match[2] === undefined) throw new Error(`${path}: no frontmatter`);
  return { data: parseYaml(match[1]), body: match[2] };
}

function tools(list: string | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((tool) => tool.trim())
    .filter(Boolean);
}

const manifest = ManifestSchema.parse(readJson(join(PLUGIN, ".claude-plugin", "plugin.json")));
const mcp = McpConfigSchema.parse(readJson(join(PLUGIN, ".mcp.json")));

/** The plugin's MCP server, started the way Claude Code starts it (the .mcp.json entry, the root substituted). */
async function connect(root: string, env: Record<string, string> = {}) {
  const [name, server] = Object.entries(mcp.mcpServers)[0] ?? [];
  if (!name || !server) throw new Error("no MCP server in .mcp.json");
  const expand = (value: string) => value.replaceAll(ROOT_VARIABLE, root);
  const transport = new StdioClientTransport({
    command: expand(server.command) === "node" ? process.execPath : expand(server.command),
    args: server.args.map(expand),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: mkdtempSync(join(tmpdir(), "swe-review-plugin-home-")),
      ...env,
    },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "plugin-layout-test", version: "1.0.0" });
  return { name, client, transport, stderr: () => stderr };
}

describe("the Claude Code plugin folder (plugins/claude-code)", () => {
  let serverName = "";
  let served: string[] = [];
  beforeAll(async () => {
    const session = await connect(PLUGIN);
    await session.client.connect(session.transport);
    serverName = session.name;
    served = (await session.client.listTools()).tools.map((tool) => tool.name);
    await session.client.close();
  });

  it("has the documented layout: a manifest in .claude-plugin/ and the components at the root", () => {
    expect(readdirSync(join(PLUGIN, ".claude-plugin"))).toEqual(["plugin.json"]);
    for (const path of [
      ".mcp.json",
      "README.md",
      "commands/review.md",
      "commands/review-loop.md",
      "scripts/start-mcp.mjs",
    ]) {
      expect(existsSync(join(PLUGIN, path)), path).toBe(true);
    }
    expect(readdirSync(join(PLUGIN, "agents")).filter((file) => file.endsWith(".md")).length).toBeGreaterThan(
      0,
    );
    expect(manifest.name).toBe("swe-review");
    expect(manifest.version).toBe(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version);
  });

  it("names every path inside the plugin through the CLAUDE_PLUGIN_ROOT variable, and each one exists", () => {
    for (const server of Object.values(mcp.mcpServers)) {
      for (const value of [server.command, ...server.args]) {
        if (!value.includes("/")) continue; // a command on PATH, such as node
        expect(value.startsWith(`${ROOT_VARIABLE}/`), value).toBe(true);
        expect(existsSync(value.replace(ROOT_VARIABLE, PLUGIN)), value).toBe(true);
      }
    }
  });

  it("starts the MCP server from .mcp.json, serving the tools the commands and the agent name", () => {
    expect(served.sort()).toEqual(["review_and_revise_guidance", "review_patch"]);
    const prefix = `mcp__plugin_${manifest.name}_${serverName}__`;
    const named: string[] = [];
    for (const file of readdirSync(join(PLUGIN, "commands"))) {
      const { data, body } = frontmatter(join(PLUGIN, "commands", file));
      const command = CommandSchema.parse(data);
      expect(body).toContain("$ARGUMENTS");
      named.push(...tools(command["allowed-tools"]));
    }
    for (const file of readdirSync(join(PLUGIN, "agents"))) {
      const agent = AgentSchema.parse(frontmatter(join(PLUGIN, "agents", file)).data);
      expect(agent.name).toBe(basename(file, ".md"));
      named.push(...tools(agent.tools));
    }
    const mcpTools = named.filter((tool) => tool.startsWith("mcp__"));
    expect(mcpTools.length).toBeGreaterThan(0);
    for (const tool of mcpTools) {
      expect(tool.startsWith(prefix), tool).toBe(true);
      expect(served, tool).toContain(tool.slice(prefix.length));
    }
  });

  it("tells the user how to install the CLI when the plugin is installed without it", async () => {
    const copy = mkdtempSync(join(tmpdir(), "swe-review-plugin-copy-"));
    cpSync(PLUGIN, copy, { recursive: true }); // as Claude Code's plugin cache holds it: no repository around it
    const session = await connect(copy, { PATH: "/usr/bin:/bin" });
    await expect(session.client.connect(session.transport)).rejects.toThrow();
    // stderr is its own pipe: the launcher's message may land a moment after the connection fails.
    await waitUntil(() => session.stderr().includes("SWE_REVIEW_CLI"), "the launcher's message");
    expect(session.stderr()).toMatch(/swe-review CLI was not found\. Install it .*npm link.*SWE_REVIEW_CLI/);
  });

  it("is listed in the repository's marketplace under the same name", () => {
    const marketplace = z
      .object({
        name: z.string().regex(KEBAB),
        owner: z.object({ name: z.string() }),
        plugins: z.array(z.object({ name: z.string(), source: z.string(), description: z.string() })),
      })
      .parse(readJson(join(REPO, ".claude-plugin", "marketplace.json")));
    const entry = marketplace.plugins.find((plugin) => plugin.name === manifest.name);
    expect(entry?.source.startsWith("./")).toBe(true);
    expect(statSync(join(REPO, entry?.source ?? "")).isDirectory()).toBe(true);
    expect(resolve(REPO, entry?.source ?? "")).toBe(PLUGIN);
  });
});

describe("the composite GitHub Action (action.yml)", () => {
  const action = z
    .object({
      name: z.string(),
      description: z.string(),
      inputs: z.record(
        z.string(),
        z.object({
          description: z.string(),
          required: z.boolean().optional(),
          default: z.string().optional(),
        }),
      ),
      outputs: z.record(z.string(), z.object({ description: z.string(), value: z.string() })),
      runs: z.object({
        using: z.literal("composite"),
        steps: z.array(
          z
            .object({
              name: z.string(),
              id: z.string().optional(),
              shell: z.string().optional(),
              run: z.string().optional(),
              uses: z.string().optional(),
              env: z.record(z.string(), z.string()).optional(),
            })
            .passthrough(),
        ),
      }),
    })
    .parse(parseYaml(readFileSync(join(REPO, "action.yml"), "utf8")));

  it("passes inputs to its scripts only through env (no expression inside a script), and every run step names its shell", () => {
    for (const step of action.runs.steps) {
      if (step.run === undefined) continue;
      expect(step.shell, step.name).toBe("bash");
      expect(step.run, step.name).not.toContain("${{");
      for (const value of Object.values(step.env ?? {})) {
        for (const [, input] of value.matchAll(/inputs\.([\w-]+)/g))
          expect(Object.keys(action.inputs)).toContain(input);
      }
    }
  });

  it("calls swe-review github review with flags the CLI has", async () => {
    const review = action.runs.steps.find((step) => step.run?.includes("github review"));
    const flags = [...(review?.run ?? "").matchAll(/(--[a-z][a-z-]+)/g)].map((match) => match[1] ?? "");
    expect(flags.length).toBeGreaterThan(3);
    const help = await runCli(["github", "review", "--help"]);
    for (const flag of new Set(flags)) expect(help.stdout, flag).toContain(flag);
  });
});
