import { describe, expect, it } from "vitest";
import { InputError } from "../common/errors.js";
import { createModel } from "../model/create.js";
import { layerFromEnv, loadConfig } from "./load.js";
import { findPreset, PRESETS } from "./presets.js";
import { resolveModel } from "./resolve-model.js";

const base = { timeoutSeconds: 60, maxRetries: 1 };

describe("model presets", () => {
  it.each([
    ["SWE-Review-30B-A3B", "swe-review-30b-a3b"],
    ["SWE-Lego/SWE-Review-8B", "swe-review-8b"],
    ["SWE-Review-Mixed-6K-8B", "swe-review-8b"],
    ["Qwen3-Coder-30B-A3B-Instruct", "qwen3-coder"],
    ["Qwen/Qwen3-30B-A3B-Instruct-2507", "qwen3-2507"],
    ["Qwen3-8B", "qwen3"],
    ["glm-5", "glm-5"],
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4"],
    ["claude-opus-4-6", "claude-opus-4.5"],
    ["claude-opus-4-1-20250805", "claude-opus-4"],
    ["claude-sonnet-5", "claude-sonnet-5"],
    ["claude-sonnet-5-5", "claude-sonnet-5"],
    ["claude-opus-4-8", "claude"],
    ["claude-mythos-5", "claude"],
    ["gpt-4.1-mini", "gpt-4.1-mini"],
  ])("matches %s to %s", (name, id) => {
    expect(findPreset(name)?.id).toBe(id);
  });

  it("has unique ids, and the SWE-Review models are vLLM + hermes with a 131,072-token context", () => {
    expect(new Set(PRESETS.map((preset) => preset.id)).size).toBe(PRESETS.length);
    for (const id of ["swe-review-30b-a3b", "swe-review-8b"]) {
      expect(findPreset(undefined, id)).toMatchObject({
        provider: "openai",
        toolCalls: "native",
        toolCallFormat: "hermes",
        contextLength: 131_072,
        reasoningRoundTrip: true,
      });
    }
    expect(findPreset("some-fine-tune")).toBeUndefined();
  });

  it("resolves settings from the preset, the configuration winning", () => {
    const coder = resolveModel({ ...base, name: "Qwen3-Coder-30B-A3B-Instruct" });
    expect(coder).toMatchObject({
      provider: "openai",
      toolCallFormat: "qwen3_coder",
      contextLength: 262_144,
    });
    expect(coder.tokenizer).toEqual({ repo: "Qwen/Qwen3-Coder-30B-A3B-Instruct" });
    const llama = resolveModel({ ...base, name: "local", preset: "llama-cpp", contextLength: 16_384 });
    expect(llama).toMatchObject({
      toolCalls: "text",
      baseUrl: "http://localhost:8080/v1",
      contextLength: 16_384,
    });
    const claude = resolveModel({ ...base, name: "claude-haiku-4-5" });
    expect(claude).toMatchObject({ provider: "anthropic", baseUrl: "https://api.anthropic.com" });
    // A Claude model without a price on file still goes to Anthropic; its cost is counted only with model.pricing.
    const newer = resolveModel({ ...base, name: "claude-opus-5" });
    expect(newer).toMatchObject({ provider: "anthropic", baseUrl: "https://api.anthropic.com" });
    expect(newer.pricing).toBeUndefined();
    const priced = resolveModel({ ...base, name: "claude-opus-5", pricing: { input: 5, output: 25 } });
    expect(priced.pricing).toEqual({ input: 5, output: 25 });
    const unknown = resolveModel({ ...base, name: "my-finetune", baseUrl: "http://gpu:8000/v1" });
    expect(unknown).toMatchObject({ provider: "openai", toolCalls: "native", reasoningRoundTrip: true });
    expect(unknown.contextLength).toBeUndefined();
  });

  it("names the known presets when the configured one does not exist", () => {
    expect(() => resolveModel({ ...base, name: "x", preset: "olama" })).toThrowError(
      /Unknown model preset 'olama'.*ollama.*swe-review models/s,
    );
  });

  it("never sends one vendor's key to another", () => {
    const env = {
      OPENAI_API_KEY: "sk-openai-1111",
      ANTHROPIC_API_KEY: "sk-ant-2222",
      OPENAI_BASE_URL: "http://o/v1",
    };
    expect(layerFromEnv(env, { name: "claude-sonnet-4-5" }).model).toEqual({ apiKey: "sk-ant-2222" });
    expect(layerFromEnv(env, { name: "glm-5" }).model).toBeUndefined();
    expect(layerFromEnv({ ...env, ZAI_API_KEY: "zai-3333" }, { name: "glm-5" }).model).toEqual({
      apiKey: "zai-3333",
    });
    // a local server (vLLM --api-key) keeps reading OPENAI_*, as before
    expect(layerFromEnv(env, { name: "SWE-Review-8B" }).model).toEqual({
      apiKey: "sk-openai-1111",
      baseUrl: "http://o/v1",
    });
    expect(
      layerFromEnv({ ...env, SWE_REVIEW_API_KEY: "mine-4444" }, { name: "claude-opus-4" }).model,
    ).toEqual({
      apiKey: "mine-4444",
    });
  });

  it("reads the key for the model the files and flags name", () => {
    const { config } = loadConfig({
      cwd: "/",
      homeDir: "/nonexistent",
      env: { ANTHROPIC_API_KEY: "sk-ant-5555", OPENAI_API_KEY: "sk-openai-6666" },
      flags: { model: { name: "claude-sonnet-4-5" } },
    });
    expect(config.model.apiKey).toBe("sk-ant-5555");
  });

  it("asks for an Anthropic key instead of failing later", () => {
    expect(() => createModel({ ...base, name: "claude-sonnet-4-5" })).toThrowError(InputError);
    expect(() => createModel({ ...base, name: "claude-sonnet-4-5" })).toThrowError(/ANTHROPIC_API_KEY/);
  });
});
