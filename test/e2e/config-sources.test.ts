import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const SECRET = "sk-user-file-secret-0123456789";

/** A home with a user config file, a repository with its own file, and an environment setting one more value. */
function layeredProject() {
  const root = mkdtempSync(join(tmpdir(), "swe-review-config-sources-"));
  const home = join(root, "home");
  const repo = join(root, "repo");
  const userFile = join(home, ".config", "swe-review", "config.yaml");
  const repoFile = join(repo, ".swe-review.yaml");
  mkdirSync(join(home, ".config", "swe-review"), { recursive: true });
  mkdirSync(join(repo, ".git"), { recursive: true });
  // The user file sets three values; the repository's file overrides one of them and adds one of its own.
  writeFileSync(userFile, `model:\n  name: user-model\n  apiKey: ${SECRET}\nagent:\n  maxSteps: 7\n`);
  writeFileSync(repoFile, "agent:\n  maxSteps: 9\nsandbox:\n  docker:\n    image: repo-image:1\n");
  const env = { PATH: process.env.PATH ?? "", HOME: home, SWE_REVIEW_LOG_LEVEL: "debug" };
  return { repo, env, userFile, repoFile };
}

describe("swe-review config --sources", () => {
  it("names the layer each value came from, with secrets redacted (JSON)", async () => {
    const { repo, env, userFile, repoFile } = layeredProject();
    const result = await runCli(["config", "--sources", "--json", "--model", "flag-model"], {
      cwd: repo,
      env,
    });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    const { sources } = JSON.parse(result.stdout) as {
      sources: Array<{ path: string; value: unknown; source: { name: string; path?: string } }>;
    };
    const byPath = new Map(sources.map((item) => [item.path, item]));
    const sourceOf = (path: string) => byPath.get(path)?.source;
    expect(byPath.get("model.apiKey")).toEqual({
      path: "model.apiKey",
      value: "[REDACTED]",
      source: { name: "user", path: userFile },
    });
    expect(byPath.get("agent.maxSteps")?.value).toBe(9);
    expect(sourceOf("agent.maxSteps")).toEqual({ name: "repo", path: repoFile });
    expect(byPath.get("sandbox.docker.image")?.value).toBe("repo-image:1");
    expect(sourceOf("sandbox.docker.image")).toEqual({ name: "repo", path: repoFile });
    expect(byPath.get("model.name")?.value).toBe("flag-model");
    expect(sourceOf("model.name")).toEqual({ name: "flags" });
    expect(byPath.get("log.level")?.value).toBe("debug");
    expect(sourceOf("log.level")).toEqual({ name: "env" });
    expect(sourceOf("sandbox.memoryMb")).toEqual({ name: "defaults" });
  });

  it("prints one line per value with its layer (text)", async () => {
    const { repo, env, userFile, repoFile } = layeredProject();
    const result = await runCli(["config", "--sources"], { cwd: repo, env });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(SECRET);
    const line = (path: string) => result.stdout.split("\n").find((text) => text.startsWith(`${path} `));
    expect(line("model.name")).toMatch(new RegExp(`"user-model"\\s+← user file ${userFile}$`));
    expect(line("model.apiKey")).toMatch(new RegExp(`"\\[REDACTED\\]"\\s+← user file ${userFile}$`));
    expect(line("agent.maxSteps")).toMatch(new RegExp(`9\\s+← repository file ${repoFile}$`));
    expect(line("log.level")).toMatch(/"debug"\s+← environment$/);
    expect(line("sandbox.kind")).toMatch(/"bwrap"\s+← defaults$/);
  });
});
