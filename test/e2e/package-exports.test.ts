import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docApiNames } from "../helpers/doc-api-names.js";
import { declaredNames, type EntryNames, installPacked, loadedNames } from "../helpers/packed-package.js";

const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = "swe-review";
const TESTING = "swe-review/testing";

/** Names in inline code that look like API but are not ours, or are fields of a file or setting. */
const NOT_OURS: Record<string, string> = {
  Authorization: "an HTTP header",
  Intl: "the JavaScript built-in",
  Makefile: "a file the shipped reviewer scripts look for",
  cacheWriteTokens: "a field of a mock-server script's usage",
  exactOptionalPropertyTypes: "a TypeScript compiler option (docs/development.md)",
  finishReason: "a field of a mock-server script turn",
  toolCalls: "a field of a mock-server script turn",
  PidsLimit: "a field of Docker's HostConfig",
  imagesKept: "a field of `swe-review prune`'s JSON output",
  streamGenerateContent: "Gemini's API method",
  thinkingBudget: "a setting of the model configuration (`model.thinkingBudget`)",
};

/** Test helpers (scripted model, mock servers, replaying a trajectory): in `swe-review/testing`, not the main entry. */
const HELPERS = [
  "ScriptedModel",
  "startMockServer",
  "startMockAnthropicServer",
  "startMockResponsesServer",
  "startMockGeminiServer",
  "scriptFromTrajectory",
  "loadScriptFile",
];

let dir: string;
let project: string;
let declared: Record<string, EntryNames>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "swe-review-pack-"));
  project = installPacked(ROOT, dir).project;
  declared = declaredNames(project, [MAIN, TESTING]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function all(spec: string): Set<string> {
  const entry = declared[spec];
  return new Set([...(entry?.values ?? []), ...(entry?.types ?? [])]);
}

describe("the packed package (npm pack, installed in a new project)", () => {
  it("lists every public name of swe-review and swe-review/testing", () => {
    for (const spec of [MAIN, TESTING]) {
      const entry = declared[spec];
      console.log(`${spec}: ${entry?.values.length} values, ${entry?.types.length} types`);
      console.log(`  values: ${entry?.values.join(", ")}`);
      console.log(`  types: ${entry?.types.join(", ")}`);
    }
    expect(declared[MAIN]?.values).toContain("runReview");
    expect(declared[TESTING]?.values).toContain("ScriptedModel");
  });

  it("loads in Node with exactly the values its types declare", () => {
    for (const spec of [MAIN, TESTING]) expect(loadedNames(project, spec)).toEqual(declared[spec]?.values);
  });

  it("exports every name README.md and docs/ use as API, from the entry they import it from", () => {
    const mentioned = docApiNames(ROOT).filter(({ name }) => !(name in NOT_OURS));
    expect(mentioned.map(({ name }) => name)).toEqual(
      expect.arrayContaining(["runReview", "renderFeedback"]),
    );
    const either = new Set([...all(MAIN), ...all(TESTING)]);
    const missing = mentioned
      .filter(({ name, from }) => !(from ? all(from) : either).has(name))
      .map(({ name, from, where }) => `${name}${from ? ` (imported from "${from}")` : ""} at ${where}`);
    console.log(`names the docs use: ${[...new Set(mentioned.map(({ name }) => name))].sort().join(", ")}`);
    expect(missing).toEqual([]);
  });

  it("refuses deep imports: internals stay internal", () => {
    expect(() => loadedNames(project, "swe-review/dist/review/run-review.js")).toThrow(
      /ERR_PACKAGE_PATH_NOT_EXPORTED/,
    );
  });

  it("keeps the test helpers out of the main entry", () => {
    expect(HELPERS.filter((name) => all(MAIN).has(name))).toEqual([]);
    expect(HELPERS.filter((name) => !all(TESTING).has(name))).toEqual([]);
  });
});

/** A program that uses only public names: a single-turn review of a patch, by a scripted reviewer. */
const REVIEW_SCRIPT = `
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RepoCache, renderFeedback, resolveRepoSource, runReview } from "swe-review";
import { ScriptedModel } from "swe-review/testing";

const dir = process.argv[2];
const repo = join(dir, "repo");
mkdirSync(repo);
const git = (...args) => execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t", ...args]);
git("init", "-q", "-b", "main");
writeFileSync(join(repo, "greet.txt"), "hello\\n");
git("add", ".");
git("commit", "-qm", "base");
const report = {
  decision: { recommendation: "request_changes", confidence: 0.8 },
  summary: { problem: "p", solution: "s", overall_assessment: "The greeting lost its name." },
  defects: [],
};
const result = await runReview(
  {
    source: resolveRepoSource(repo),
    base: "main",
    issue: "Greet the user by name.",
    patch: "diff --git a/greet.txt b/greet.txt\\n--- a/greet.txt\\n+++ b/greet.txt\\n@@ -1 +1 @@\\n-hello\\n+hi\\n",
    mode: "single-turn-diff",
  },
  {
    model: new ScriptedModel([{ content: JSON.stringify(report) }]),
    budget: {},
    cache: new RepoCache(join(dir, "cache")),
    workspaceRoot: join(dir, "workspaces"),
    sandbox: { kind: "local" },
    outDir: join(dir, "out"),
  },
);
console.log(JSON.stringify({ decision: result.outcome.decision, feedback: renderFeedback(result.outcome.report) }));
`;

describe("a program built on the packed package", () => {
  it("reviews a patch with runReview and a scripted reviewer, using only public names", () => {
    writeFileSync(join(project, "review.mjs"), REVIEW_SCRIPT);
    const work = mkdtempSync(join(dir, "work-"));
    const out = execFileSync(process.execPath, ["review.mjs", work], { cwd: project, encoding: "utf8" });
    const printed = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as {
      decision: string;
      feedback: string;
    };
    expect(printed.decision).toBe("request_changes");
    expect(printed.feedback).toContain("The greeting lost its name.");
  });
});
