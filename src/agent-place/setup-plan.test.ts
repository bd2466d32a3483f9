import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optionalDependencies } from "../workspace/setup/detect-setup.js";
import { planSetup, type WorkspaceSetupSettings } from "./setup-plan.js";

const SANDBOX = { testbed: "/testbed", path: "/usr/bin:/bin" };
const ON: WorkspaceSetupSettings = { enabled: true, timeoutMs: 60_000 };

function checkout(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "swe-review-setup-plan-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const LOCKED_NPM = { "package.json": '{"dependencies": {"a": "1"}}', "package-lock.json": "{}" };

describe("which setup prepares a workspace", () => {
  it("takes the user's commands first, then the repository's file, then the test spec, then the lockfiles", () => {
    const dir = checkout({
      ...LOCKED_NPM,
      ".swe-review.yaml": "setup:\n  commands: [make deps]\n  env: {CI: '1'}\n",
    });
    expect(planSetup(dir, {}, { ...ON, commands: ["./bootstrap"] }, SANDBOX)).toMatchObject({
      source: "config",
      commands: ["./bootstrap"],
    });
    expect(planSetup(dir, {}, ON, SANDBOX)).toMatchObject({
      source: "repository",
      commands: ["make deps"],
      env: { CI: "1" },
    });
    const specOnly = checkout({
      ...LOCKED_NPM,
      ".swe-review.yaml": "test:\n  command: npm test\n  parser: tap\n  setup: npm ci --ignore-scripts\n",
    });
    expect(planSetup(specOnly, {}, ON, SANDBOX)).toMatchObject({
      source: "test-spec",
      commands: ["npm ci --ignore-scripts"],
    });
    expect(planSetup(checkout(LOCKED_NPM), {}, ON, SANDBOX)).toMatchObject({
      source: "detected",
      commands: ["npm ci --no-audit --no-fund"],
    });
  });

  it("takes a built-in spec's empty setup to mean none is needed (SWE-bench's Python repositories)", () => {
    const sympy = checkout({ "setup.py": "from setuptools import setup\nsetup()\n" });
    expect(planSetup(sympy, { repo: "sympy/sympy", version: "1.12" }, ON, SANDBOX)).toMatchObject({
      source: "test-spec",
      commands: [],
    });
  });

  it("makes a virtualenv for a Python project, with its test extras, and puts it on the agent's PATH", () => {
    const dir = checkout({
      "requirements.txt": "requests\n",
      "requirements-dev.txt": "pytest\n",
      "pyproject.toml":
        '[project]\nname = "x"\n\n[project.optional-dependencies]\ntest = ["pytest"]\ndocs = ["sphinx"]\n"dev" = ["ruff"]\n\n[tool.ruff]\nline-length = 100\n',
    });
    const plan = planSetup(dir, {}, ON, { ...SANDBOX, path: "/usr/bin" });
    expect(plan?.commands).toEqual([
      "python3 -m venv .venv",
      ".venv/bin/python -m pip install -r requirements-dev.txt -r requirements.txt",
      ".venv/bin/python -m pip install -e '.[test,dev]'",
    ]);
    expect(plan?.agentEnv).toEqual({ VIRTUAL_ENV: "/testbed/.venv", PATH: "/testbed/.venv/bin:/usr/bin" });
  });

  it("sets up nothing for a package.json without dependencies, or a pyproject.toml of tool settings only", () => {
    const dir = checkout({
      "package.json": '{"scripts": {"test": "node --test"}}',
      "pyproject.toml": "[tool.black]\n",
    });
    expect(planSetup(dir, {}, ON, SANDBOX)?.commands).toEqual([]);
  });

  it("never follows a committed link: a lockfile or configuration pointing elsewhere on the host is not read", () => {
    const secret = join(mkdtempSync(join(tmpdir(), "swe-review-secret-")), "config.yaml");
    writeFileSync(secret, "setup:\n  commands: [cat /etc/shadow]\n");
    const dir = checkout({});
    symlinkSync(secret, join(dir, ".swe-review.yaml"));
    symlinkSync("/etc/hostname", join(dir, "package-lock.json"));
    expect(planSetup(dir, {}, ON, SANDBOX)?.commands).toEqual([]);
  });
});

describe("optionalDependencies", () => {
  it("reads the extras' names, quoted or not, and stops at the next table", () => {
    expect(
      optionalDependencies(
        '[project.optional-dependencies]\ntest = []\n"lint-all" = []\n[tool.x]\nfoo = 1\n',
      ),
    ).toEqual(["test", "lint-all"]);
    expect(optionalDependencies('[project]\nname = "x"\n')).toEqual([]);
  });
});
