import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../common/errors.js";
import { loadConfig } from "./load.js";
import { requireModel } from "./require-model.js";

function fixture() {
  const root = mkdtempSync(join(tmpdir(), "swe-review-config-"));
  const home = join(root, "home");
  const repo = join(root, "repo");
  mkdirSync(join(home, ".config", "swe-review"), { recursive: true });
  mkdirSync(join(repo, ".git"), { recursive: true });
  mkdirSync(join(repo, "sub", "dir"), { recursive: true });
  return { root, home, repo };
}

describe("loadConfig", () => {
  it("reads a repository's test section, and says which key is missing from a partial one", () => {
    const { home, repo } = fixture();
    writeFileSync(
      join(repo, ".swe-review.yaml"),
      "test:\n  command: npx vitest run --reporter=verbose\n  parser: vitest\n  setup: npm ci\n",
    );
    const { config } = loadConfig({ cwd: repo, env: { HOME: home } });
    expect(config.test).toEqual({
      command: "npx vitest run --reporter=verbose",
      parser: "vitest",
      setup: "npm ci",
    });
    writeFileSync(join(repo, ".swe-review.yaml"), "test:\n  parser: vitest\n");
    expect(() => loadConfig({ cwd: repo, env: { HOME: home } })).toThrow(/test\.command/);
  });

  it("uses defaults when nothing is configured", () => {
    const { home, repo } = fixture();
    const { config, layers } = loadConfig({ cwd: repo, env: { HOME: home } });
    expect(config.agent.maxSteps).toBe(100);
    expect(config.model.name).toBeUndefined();
    expect(layers.map((layer) => layer.name)).toEqual(["defaults"]);
  });

  it("layers defaults < user file < repo file < --config < env < flags", () => {
    const { root, home, repo } = fixture();
    writeFileSync(
      join(home, ".config", "swe-review", "config.yaml"),
      "model:\n  name: user-model\n  temperature: 0.1\n  maxRetries: 1\nagent:\n  maxSteps: 10\n",
    );
    writeFileSync(
      join(repo, ".swe-review.yaml"),
      "model:\n  name: repo-model\n  temperature: 0.2\nagent:\n  maxSteps: 20\n",
    );
    writeFileSync(join(root, "extra.yaml"), "model:\n  temperature: 0.3\n");
    const { config, layers } = loadConfig({
      cwd: join(repo, "sub", "dir"),
      env: { HOME: home, SWE_REVIEW_MODEL: "env-model", OPENAI_BASE_URL: "http://localhost:9/v1" },
      configFile: join(root, "extra.yaml"),
      flags: { agent: { maxSteps: 40 } },
    });
    expect(layers.map((layer) => layer.name)).toEqual(["defaults", "user", "repo", "file", "env", "flags"]);
    expect(config.model.name).toBe("env-model");
    expect(config.model.temperature).toBe(0.3);
    expect(config.model.maxRetries).toBe(1);
    expect(config.model.baseUrl).toBe("http://localhost:9/v1");
    expect(config.agent.maxSteps).toBe(40);
  });

  it("prefers SWE_REVIEW_* over OPENAI_* and respects XDG_CONFIG_HOME", () => {
    const { root, repo } = fixture();
    mkdirSync(join(root, "xdg", "swe-review"), { recursive: true });
    writeFileSync(join(root, "xdg", "swe-review", "config.yaml"), "log:\n  level: debug\n");
    const { config } = loadConfig({
      cwd: repo,
      env: {
        XDG_CONFIG_HOME: join(root, "xdg"),
        OPENAI_API_KEY: "sk-openai-000000",
        SWE_REVIEW_API_KEY: "sk-swe-review-000",
        OPENAI_BASE_URL: "http://a/v1",
      },
    });
    expect(config.model.apiKey).toBe("sk-swe-review-000");
    expect(config.model.baseUrl).toBe("http://a/v1");
    expect(config.log.level).toBe("debug");
  });

  it("rejects an unknown key, names the file and the key, and suggests the key it is closest to", () => {
    const { home, repo } = fixture();
    const file = join(repo, ".swe-review.yaml");
    writeFileSync(file, "model:\n  tempreature: 0.2\n");
    expect(() => loadConfig({ cwd: repo, env: { HOME: home } })).toThrowError(
      `Invalid configuration in ${file}: model.tempreature: unknown key (did you mean model.temperature?). ` +
        `Fix model.tempreature in ${file}.`,
    );
  });

  it("lists a section's keys when an unknown one is like none of them", () => {
    const { home, repo } = fixture();
    writeFileSync(join(repo, ".swe-review.yaml"), "log:\n  colour: true\n");
    expect(() => loadConfig({ cwd: repo, env: { HOME: home } })).toThrowError(
      /log\.colour: unknown key \(the keys of log are level\)/,
    );
  });

  it("rejects a wrongly typed value with its path and what was expected, and says where to fix it", () => {
    const { home, repo } = fixture();
    const file = join(repo, ".swe-review.yaml");
    writeFileSync(file, "agent:\n  maxSteps: many\nmodel:\n  maxTokens: 0\n");
    let message = "";
    try {
      loadConfig({ cwd: repo, env: { HOME: home } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("agent.maxSteps: expected number, received string");
    expect(message).toContain("model.maxTokens: expected number to be >0");
    expect(message).toMatch(
      /Fix (agent\.maxSteps and model\.maxTokens|model\.maxTokens and agent\.maxSteps) in /,
    );
    expect(message).not.toContain("swe-review config");
  });

  it("names the environment when a variable holds a bad value", () => {
    const { home, repo } = fixture();
    expect(() => loadConfig({ cwd: repo, env: { HOME: home, SWE_REVIEW_PROVIDER: "openia" } })).toThrowError(
      /^Invalid configuration in environment variables .*: model\.provider: expected one of "openai"\|"anthropic"\. Fix model\.provider \(set by an environment variable\)\.$/,
    );
  });

  it("says when a --config file does not exist", () => {
    const { home, repo } = fixture();
    expect(() => loadConfig({ cwd: repo, env: { HOME: home }, configFile: "nope.yaml" })).toThrowError(
      /nope\.yaml \(from --config\) does not exist/,
    );
  });
});

describe("requireModel", () => {
  it("explains how to point at a vLLM server or an API when no model is set", () => {
    const { home, repo } = fixture();
    const { config } = loadConfig({ cwd: repo, env: { HOME: home } });
    let error: unknown;
    try {
      requireModel(config.model);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/--base-url http:\/\/localhost:8000\/v1/);
    expect((error as Error).message).toMatch(/OPENAI_API_KEY/);
  });
});
