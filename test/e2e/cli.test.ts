import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";
import { recordReview, reviewTurns } from "../helpers/review-run.js";

function project() {
  const root = mkdtempSync(join(tmpdir(), "swe-review-cli-"));
  const home = join(root, "home");
  const repo = join(root, "repo");
  mkdirSync(join(home, ".config", "swe-review"), { recursive: true });
  mkdirSync(join(repo, ".git"), { recursive: true });
  return { root, home, repo, env: { PATH: process.env.PATH ?? "", HOME: home } };
}

describe("swe-review CLI", () => {
  it("lists its commands and options in --help and prints its version", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const text of [
      "config",
      "mock-server",
      "grade",
      "models",
      "--config",
      "--log-level",
      "--model",
      "--base-url",
      "--tool-calls",
    ]) {
      expect(help.stdout).toContain(text);
    }
    const version = await runCli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("ends quietly when its reader stops early (`swe-review --help | head -1`)", () => {
    const out = spawnSync(
      "bash",
      ["-c", `"${process.execPath}" "${CLI}" --help | head -1; exit \${PIPESTATUS[0]}`],
      {
        encoding: "utf8",
      },
    );
    expect(out.stdout).toContain("Usage: swe-review");
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
  });

  it("prints the resolved configuration with the API key redacted and its layers", async () => {
    const { repo, env } = project();
    writeFileSync(
      join(repo, ".swe-review.yaml"),
      "model:\n  name: SWE-Review-30B-A3B\nagent:\n  maxSteps: 50\n",
    );
    const result = await runCli(["config", "--json", "--base-url", "http://localhost:8000/v1"], {
      cwd: repo,
      env: { ...env, OPENAI_API_KEY: "sk-should-not-print-123" },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("sk-should-not-print-123");
    expect(result.stderr).not.toContain("sk-should-not-print-123");
    const { config, layers } = JSON.parse(result.stdout);
    expect(config.model).toMatchObject({
      name: "SWE-Review-30B-A3B",
      baseUrl: "http://localhost:8000/v1",
      apiKey: "[REDACTED]",
    });
    expect(config.agent.maxSteps).toBe(50);
    expect(layers.map((layer: { name: string }) => layer.name)).toEqual(["defaults", "repo", "env", "flags"]);
  });

  it("says how to configure a model when none is set", async () => {
    const { repo, env } = project();
    const result = await runCli(["config"], { cwd: repo, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/maxSteps: 100/);
    expect(result.stderr).toMatch(/no model is configured.*--model/);
  });

  it("exits 3 with a message naming the file and key for a bad config", async () => {
    const { repo, env } = project();
    const file = join(repo, ".swe-review.yaml");
    writeFileSync(file, "modle:\n  name: x\n");
    const result = await runCli(["config"], { cwd: repo, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `error: Invalid configuration in ${file}: modle: unknown key (did you mean model?). Fix modle in ${file}.\n`,
    );
    expect(result.stdout).toBe("");
  });

  it("a bad value in .swe-review.yaml: review says which file, which key and what was expected, not to run config", async () => {
    const { repo, env } = project();
    const file = join(repo, ".swe-review.yaml");
    writeFileSync(file, "model:\n  name: m\n  maxTokens: lots\n");
    writeFileSync(join(repo, "issue.txt"), "It breaks.\n");
    const result = await runCli(["review", "--diff-from", "HEAD", "--issue", "issue.txt"], {
      cwd: repo,
      env,
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `error: Invalid configuration in ${file}: model.maxTokens: expected number, received string. ` +
        `Fix model.maxTokens in ${file}.\n`,
    );
    expect(result.stdout).toBe("");
  });

  it("lists the model presets as a table and as JSON", async () => {
    const table = await runCli(["models"]);
    expect(table.code).toBe(0);
    const row = table.stdout.split("\n").find((line) => line.startsWith("swe-review-30b-a3b "));
    expect(row).toMatch(
      /openai\s+native \(hermes\)\s+131,072\s+0\s+0\s+0\s+SWE_REVIEW_BASE_URL, http:\/\/localhost:8000\/v1/,
    );
    expect(table.stdout).toMatch(/^llama-cpp\s+openai\s+text \(hermes\)/m);
    expect(table.stdout).toMatch(
      /ollama: select with model\.preset\. Ollama's default context is 4,096 tokens/,
    );
    const json = await runCli(["models", "--json"]);
    const presets = JSON.parse(json.stdout) as {
      id: string;
      provider: string;
      pricing: { output: number };
    }[];
    expect(presets.find((preset) => preset.id === "claude-sonnet-4")).toMatchObject({
      provider: "anthropic",
      pricing: { output: 15 },
    });
  });

  it("exits 3 on an unknown command or option", async () => {
    expect((await runCli(["frobnicate"])).code).toBe(3);
    expect((await runCli(["config", "--no-such-flag"])).code).toBe(3);
  });

  it("a mistyped option: one error line with the closest option, no usage dump, exit 3", async () => {
    const result = await runCli(["review", "--issue", "issue.md", "--diff-form", "HEAD"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("error: unknown option '--diff-form'\n(Did you mean --diff-from?)\n");
    expect(result.stdout).toBe("");
  });

  it("serves a script with mock-server until stopped", async () => {
    const { root } = project();
    const script = join(root, "script.json");
    writeFileSync(script, JSON.stringify([{ content: "hello from the script" }]));
    const child = spawn(process.execPath, [CLI, "mock-server", "--script", script, "--mode", "hermes"], {
      env: { PATH: process.env.PATH ?? "" },
    });
    try {
      child.stderr.resume();
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk; // the first line may come in more than one chunk
          if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
        });
        child.once("exit", (code) => reject(new Error(`mock-server exited with ${code}`)));
      });
      const { baseUrl, turns } = JSON.parse(line);
      expect(turns).toBe(1);
      const response = await fetch(`${baseUrl}/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "any", messages: [{ role: "user", content: "hi" }] }),
      });
      const completion = (await response.json()) as { choices: { message: { content: string } }[] };
      expect(completion.choices[0]?.message.content).toBe("hello from the script");
    } finally {
      child.kill("SIGTERM");
    }
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
  });

  it("refuses a port in use with exit 3, naming the port and the fix (mock-server, traj view --serve)", async () => {
    const { root } = project();
    const script = join(root, "script.json");
    writeFileSync(script, JSON.stringify([{ content: "hi" }]));
    const runDir = join(root, "run");
    await recordReview(runDir, { instanceId: "demo-1", turns: reviewTurns("Approve."), decision: "approve" });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const results = await Promise.all([
        runCli(["mock-server", "--script", script, "--port", String(port)]),
        runCli(["traj", "view", runDir, "--serve", "--port", String(port)]),
        runCli(["mock-server", "--script", script, "--port", "http"]),
      ]);
      for (const result of results.slice(0, 2)) {
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr).toBe(
          `error: --port ${port}: another program is already listening on 127.0.0.1:${port}. Stop it, give another --port, or leave --port out to use a free one.\n`,
        );
      }
      expect(results[2]?.code).toBe(3);
      expect(results[2]?.stderr).toMatch(/^error: --port http: expected a port number/);
    } finally {
      taken.close();
    }
  });
});
