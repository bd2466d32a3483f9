import { execFile, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked } from "../helpers/packed-package.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { type SkipReason, skipReasons, skipTitle, unless } from "../helpers/skip.js";

const ROOT = resolve(import.meta.dirname, "../..");
const EXAMPLES = join(ROOT, "examples");
/** Every example: each `.mjs` file in examples/, so a new one is run here without being listed. */
const FILES = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith(".mjs"))
  .sort();

/** What each example must print. A new example needs an entry: the test fails without one. */
const PRINTS: Record<string, RegExp[]> = {
  "review-a-patch.mjs": [
    /^patch "return a \+ b": approve \(from finish_message, \d+ steps\)$/m,
    /^ {2}The tests exited with 0 after the patch was applied\.$/m,
    /^patch "return abs\(a - b\)": request_changes \(from finish_message, \d+ steps\)$/m,
    /^ {2}The tests exited with 1 after the patch was applied\.$/m,
  ],
  "custom-tool.mjs": [
    /^run_tests observed: Ran 1 test: FAILED \(failures=1\)\nrun_tests observed: Ran 1 test: OK$/m,
    /^agent finished after 4 steps: Fixed add\(\); the tests pass\.$/m,
  ],
  "custom-role.mjs": [
    /^role triager: agent finished after 2 steps$/m,
    /^triage: \{"label":"bug","file":"calc\.py","reason":"add\(\) returns a - b\."\}$/m,
    /^trajectory: \d+ events, ending with a result event$/m,
  ],
  "score-a-run.mjs": [
    /^demo__calc-1@split: approve \(resolved: true\)$/m,
    /^demo__calc-2@split: request_changes \(resolved: false\)$/m,
    /^demo__calc-3@split: request_changes \(resolved: true\)$/m,
    /^scored 3 items: CR 100, DA 66\.7, FAR 0, FRR 50$/m,
    /^TP 1, FP 0, TN 1, FN 1$/m,
  ],
};

const NO_PYTHON3 = unless(spawnSync("python3", ["--version"]).status === 0, "python3 is not installed");

/** Why an example cannot run here, from what its header says it `Needs` (bubblewrap, python3). */
function missingFor(file: string): SkipReason {
  const needs = /^ \* Needs (.*)$/m.exec(readFileSync(join(EXAMPLES, file), "utf8"))?.[1] ?? "";
  return skipReasons(
    needs.includes("bubblewrap") ? NO_BWRAP : undefined,
    needs.includes("python3") ? NO_PYTHON3 : undefined,
  );
}

const run = promisify(execFile);

/**
 * Runs an example as a user does (`node examples/<file>`, from `cwd`) with a temp folder of its own, and returns
 * what it printed (with its time: each takes 3–11 s alone, up to 25 s on a loaded 2-core machine); it must exit 0
 * within a bound against hanging, and leave its temp folder empty.
 */
async function runExample(cwd: string, file: string): Promise<string> {
  const tmp = mkdtempSync(join(tmpdir(), "swe-review-example-test-"));
  try {
    const started = Date.now();
    const { stdout } = await run(process.execPath, [join("examples", file)], {
      cwd,
      env: { ...process.env, TMPDIR: tmp },
      timeout: 120_000,
    });
    console.log(`${file} (${((Date.now() - started) / 1000).toFixed(1)} s):\n${stdout}`);
    expect(readdirSync(tmp)).toEqual([]);
    return stdout;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe("examples/", () => {
  it("has examples, each with the output it must print, and each listed in examples/README.md", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(4);
    expect(FILES.filter((file) => !(file in PRINTS))).toEqual([]);
    const readme = readFileSync(join(EXAMPLES, "README.md"), "utf8");
    expect(FILES.filter((file) => !readme.includes(`examples/${file}`))).toEqual([]);
  });

  it("imports only the public entries, swe-review and swe-review/testing, never the sources or dist/", () => {
    for (const file of FILES) {
      const text = readFileSync(join(EXAMPLES, file), "utf8");
      const specifiers = [...text.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1] ?? "");
      expect(specifiers.filter((spec) => !/^(node:|zod$|swe-review(\/testing)?$)/.test(spec))).toEqual([]);
    }
  });
});

describe("the examples, run in the clone (the package's own name resolves to dist/)", () => {
  for (const file of FILES) {
    const missing = missingFor(file);
    it.skipIf(missing)(skipTitle(file, missing), async () => {
      const printed = await runExample(ROOT, file);
      for (const line of PRINTS[file] ?? []) expect(printed).toMatch(line);
    });
  }
});

describe("the examples, run against the packed package (npm pack, installed in a new project)", () => {
  let dir: string;
  let project: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "swe-review-pack-"));
    project = installPacked(ROOT, dir).project;
    mkdirSync(join(project, "examples"));
    for (const file of FILES) cpSync(join(EXAMPLES, file), join(project, "examples", file));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("type-check (// @ts-check) against the package's declarations", () => {
    const program = ts.createProgram(
      FILES.map((file) => join(project, "examples", file)),
      {
        allowJs: true,
        checkJs: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        lib: ["lib.es2023.d.ts"],
        strict: true,
        skipLibCheck: true,
        types: ["node"],
      },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(problems).toEqual([]);
  });

  for (const file of FILES) {
    const missing = missingFor(file);
    it.skipIf(missing)(skipTitle(file, missing), async () => {
      const printed = await runExample(project, file);
      for (const line of PRINTS[file] ?? []) expect(printed).toMatch(line);
    });
  }
});
