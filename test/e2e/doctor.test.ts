import { afterEach, describe, expect, it } from "vitest";
import {
  type MockOpenAIServer,
  type MockServerOptions,
  startMockServer,
} from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { runCli } from "../helpers/cli.js";

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());

/** What a model answers to doctor's probes: a call of add(17, 25), then 42, then the JSON answer. */
const GOOD_ANSWERS: ScriptEntry[] = [
  { content: "Adding.", toolCalls: [{ name: "add", arguments: { a: 17, b: 25 } }] },
  { content: "42" },
  { content: '{"answer": 42}' },
];

async function doctor(options: MockServerOptions, args: string[] = [], model = "SWE-Review-8B") {
  server = await startMockServer({
    models: [model],
    contextLength: 131_072,
    script: GOOD_ANSWERS,
    ...options,
  });
  const env = { PATH: process.env.PATH ?? "", HOME: "/nonexistent", HF_HOME: "/nonexistent" };
  return runCli(["doctor", "--model", model, "--base-url", server.baseUrl, ...args], { env });
}

function line(stdout: string, title: string): string {
  return stdout.split("\n").find((text) => text.slice(2).startsWith(title)) ?? "";
}

describe("swe-review doctor against the mock vLLM server", () => {
  it("passes a well-configured SWE-Review endpoint", async () => {
    const result = await doctor({});
    expect(result.code).toBe(0);
    expect(line(result.stdout, "model")).toMatch(
      /^✓ .*preset swe-review-8b \(openai, native tool calls \(hermes format\), 131,072-token context\)/,
    );
    expect(line(result.stdout, "reachable")).toMatch(/^✓ .*lists 1 model$/);
    expect(line(result.stdout, "listed")).toMatch(/^✓ .*'SWE-Review-8B' is served/);
    expect(line(result.stdout, "tool call")).toMatch(
      /^✓ .*native tool calls work: add\(\{"a": 17, "b": 25\}\) → 42 → "42"$/,
    );
    expect(line(result.stdout, "structured output")).toMatch(/^✓ .*\{"answer": 42\}/);
    expect(line(result.stdout, "context")).toMatch(/^✓ .*131,072 tokens reported by the server/);
    // no tokenizer.json in the cache here: counts are estimated, and doctor says how to get exact ones
    expect(line(result.stdout, "token counts")).toMatch(
      /^! .*Qwen\/Qwen3-8B's tokenizer.json is not in the Hugging Face cache/,
    );
    expect(result.stdout).toMatch(/huggingface-cli download Qwen\/Qwen3-8B tokenizer\.json/);
    expect(server?.remaining).toBe(0);
  });

  it("says to enable the tool parser or use --tool-calls text when vLLM has no parser", async () => {
    const result = await doctor({ mode: "hermes" });
    expect(result.code).toBe(0);
    expect(line(result.stdout, "tool call")).toMatch(
      /^! .*refuses native tool calls \(400: "auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set\); they work as text/,
    );
    expect(result.stdout).toMatch(
      /fix: Set model\.toolCalls: text \(or pass --tool-calls text\), or restart vLLM with --enable-auto-tool-choice --tool-call-parser hermes\./,
    );
  });

  it("passes the same server with --tool-calls text", async () => {
    const result = await doctor({ mode: "hermes" }, ["--tool-calls", "text"]);
    expect(result.code).toBe(0);
    expect(line(result.stdout, "tool call")).toMatch(
      /^✓ .*tool calls work as text \(model\.toolCalls: text\)/,
    );
  });

  it("notices calls that come back as text because the parser failed on them", async () => {
    const result = await doctor({
      script: [
        { toolCalls: [{ name: "add", arguments: '{"a": 17, "b": 25,}' }] },
        { content: "42" },
        { content: '{"answer": 42}' },
      ],
    });
    expect(line(result.stdout, "tool call")).toMatch(/^! .*came back as <tool_call> text in content/);
  });

  it("names the served models when the configured one is not among them, and skips what depends on it", async () => {
    server = await startMockServer({ models: ["SWE-Review-30B-A3B"], script: GOOD_ANSWERS });
    const env = { PATH: process.env.PATH ?? "", HOME: "/nonexistent" };
    const result = await runCli(["doctor", "--model", "swe-review-30b-a3b", "--base-url", server.baseUrl], {
      env,
    });
    expect(result.code).toBe(1);
    expect(line(result.stdout, "listed")).toMatch(
      /^✗ .*'swe-review-30b-a3b' is not served here; the server lists: SWE-Review-30B-A3B/,
    );
    expect(result.stdout).toMatch(/fix: Names are case-sensitive: use --model SWE-Review-30B-A3B\./);
    expect(line(result.stdout, "tool call")).toMatch(/^- .*skipped: needs 'listed'/);
    expect(result.stdout).toMatch(/1 problem, \d warnings?\./);
    expect(server.chatBodies).toHaveLength(0);
  });

  it("says how to start the server when nothing listens", async () => {
    const url = "http://127.0.0.1:9/v1"; // the discard port: nothing listens (a freed port could be taken again)
    const env = { PATH: process.env.PATH ?? "", HOME: "/nonexistent" };
    const result = await runCli(
      ["doctor", "--model", "SWE-Review-30B-A3B", "--base-url", url, "--timeout", "5"],
      { env },
    );
    expect(result.code).toBe(1);
    expect(line(result.stdout, "reachable")).toMatch(/^✗ .*Cannot reach/);
    expect(result.stdout).toMatch(
      /fix: Start the server.*vllm serve SWE-Lego\/SWE-Review-30B-A3B .*--tool-call-parser hermes/,
    );
  });

  it("reports a refused API key", async () => {
    const result = await doctor({ apiKey: "the-right-key-1234" }, ["--api-key", "a-wrong-key-5678"]);
    expect(result.code).toBe(1);
    expect(line(result.stdout, "reachable")).toMatch(/^✗ .*refused the API key/);
    expect(result.stdout + result.stderr).not.toContain("a-wrong-key-5678");
  });

  it("warns when the server's context is shorter than the preset's", async () => {
    const result = await doctor({ contextLength: 32_768 });
    expect(line(result.stdout, "context")).toMatch(
      /^! .*the server allows 32,768 tokens but runs plan for 131,072/,
    );
    expect(result.stdout).toMatch(
      /fix: Start vLLM with --max-model-len 131072 \(if memory allows\), or set model\.contextLength: 32768\./,
    );
  });

  it("fails structured output when the server refuses response_format", async () => {
    const result = await doctor({ rejectResponseFormat: true });
    expect(result.code).toBe(1);
    expect(line(result.stdout, "structured output")).toMatch(/^✗ .*refused a JSON-schema response format/);
  });

  it("prints JSON with --json", async () => {
    const result = await doctor({}, ["--json"]);
    const report = JSON.parse(result.stdout) as {
      healthy: boolean;
      results: { id: string; status: string }[];
    };
    expect(report.healthy).toBe(true);
    expect(report.results.map((entry) => entry.id)).toEqual([
      "model",
      "reachable",
      "listed",
      "tool-call",
      "structured-output",
      "context",
      "tokens",
    ]);
  });
});
