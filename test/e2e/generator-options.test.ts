import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { fixtureFiles, makeFixtureRepo } from "../helpers/review-fixture.js";

/** Generator options a user gets wrong, refused before anything runs or is created (exit 3). */
describe("swe-review generate: external-agent options, checked up front", () => {
  it("a misspelt agent is not run as a model name; a command template gets no --generator-base-url", async () => {
    const files = fixtureFiles();
    const { repo, base } = makeFixtureRepo();
    const state = join(files.root, "state");
    const env = { ...files.env, XDG_STATE_HOME: state, GEN_KEY: "k-1234567890" };
    const common = ["generate", "--repo", repo.dir, "--base", base, "--issue", files.issue];

    const typo = await runCli(
      [...common, "--generator", "qwne", "--generator-env", "GEN_KEY", "--generator-network"],
      { env },
    );
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain(
      "--generator qwne is a model name, run by our agent, so --generator-env, --generator-network do not apply. Did you mean --generator qwen?",
    );

    const template = await runCli(
      [
        ...common,
        "--generator",
        "cmd:my-agent {instruction_file}",
        "--generator-base-url",
        "http://127.0.0.1:9/v1",
      ],
      { env },
    );
    expect(template.code).toBe(3);
    expect(template.stderr).toContain("a command template gets its variables with --generator-env");

    // Nothing was started: no run folder, the repository untouched.
    expect(existsSync(join(state, "swe-review", "runs"))).toBe(false);
    expect(repo.git("status", "--porcelain")).toBe("");
  });
});
