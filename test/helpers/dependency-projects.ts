import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TempRepo } from "./git-repo.js";

/**
 * Real packaged projects whose tests need a dependency, made offline with the real installers: the dependency is a
 * local package (an npm tarball made by `npm pack`, a wheel made by `pip wheel`) committed under `vendor/`, so
 * `npm ci` and `pip install` never reach a registry.
 */
export interface DependencyProject {
  repo: TempRepo;
  base: string;
  /** Fixes the root cause: the project's tests pass. */
  correct: string;
  /** Fixes the example in the issue only: a test still fails. */
  wrong: string;
  issue: string;
  /** Runs the project's tests in the sandbox and prints a summary line. */
  testCommand: string;
  /** What the summary says when every test passes. */
  passed: RegExp;
  failed: RegExp;
}

/** Where npm and pip keep their caches while the fixtures are made (never the user's). */
function toolEnv(root: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: join(root, "home"),
    npm_config_cache: join(root, "npm-cache"),
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    PIP_NO_INDEX: "1",
  };
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  return execFileSync(file, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** A Node project (`slugger`) whose `slug()` uses the `word-join` package, with a package-lock.json. */
export function npmProject(options: { installed?: boolean } = {}): DependencyProject {
  const root = mkdtempSync(join(tmpdir(), "swe-review-npm-project-"));
  const env = toolEnv(root);
  const dep = join(root, "word-join");
  mkdirSync(dep);
  writeFileSync(
    join(dep, "package.json"),
    JSON.stringify({ name: "word-join", version: "1.0.0", main: "index.js" }),
  );
  writeFileSync(join(dep, "index.js"), "module.exports = (words, sep) => words.join(sep);\n");
  mkdirSync(join(root, "repo", "vendor"), { recursive: true });
  const repo = new TempRepo(join(root, "repo"));
  run("npm", ["pack", "--pack-destination", join(repo.dir, "vendor")], dep, env);
  repo.write({
    "package.json": `${JSON.stringify(
      {
        name: "slugger",
        version: "1.0.0",
        private: true,
        scripts: { test: "node --test" },
        dependencies: { "word-join": "file:vendor/word-join-1.0.0.tgz" },
      },
      null,
      2,
    )}\n`,
    ".gitignore": "node_modules/\n",
    "slug.js":
      'const join = require("word-join");\n\nmodule.exports = (title) => join(title.split(" "), "-");\n',
    "test/slug.test.js": [
      'const test = require("node:test");',
      'const assert = require("node:assert");',
      'const slug = require("../slug.js");',
      "",
      'test("lowercases", () => assert.strictEqual(slug("Hello World"), "hello-world"));',
      'test("collapses spaces", () => assert.strictEqual(slug("  Many  Spaces Here "), "many-spaces-here"));',
      "",
    ].join("\n"),
  });
  run("npm", ["install", "--offline", "--no-audit", "--no-fund"], repo.dir, env);
  const base = repo.commit("slugger with a lockfile");
  if (!options.installed) run("rm", ["-rf", "node_modules"], repo.dir, env);
  const slugLine = '-module.exports = (title) => join(title.split(" "), "-");';
  const patch = (fixed: string) =>
    `diff --git a/slug.js b/slug.js\n--- a/slug.js\n+++ b/slug.js\n@@ -1,3 +1,3 @@\n const join = require("word-join");\n \n${slugLine}\n+${fixed}\n`;
  return {
    repo,
    base,
    correct: patch('module.exports = (title) => join(title.trim().toLowerCase().split(/\\s+/), "-");'),
    wrong: patch('module.exports = (title) => join(title.toLowerCase().split(" "), "-");'),
    issue:
      'slug("Hello World") gives "Hello-World"; slugs must be lower-case words joined by single dashes.\n',
    testCommand: "cd /testbed && npm test 2>&1 | grep -E '^# (pass|fail)'",
    passed: /# pass 2\n# fail 0/,
    failed: /# pass 1\n# fail 1/,
  };
}

/** A Python project (`app`) whose `title()` uses the `greetlib` wheel, installed from requirements.txt. */
export function pythonProject(): DependencyProject {
  const root = mkdtempSync(join(tmpdir(), "swe-review-python-project-"));
  const env = toolEnv(root);
  const dep = join(root, "greetlib");
  mkdirSync(join(dep, "greetlib"), { recursive: true });
  writeFileSync(
    join(dep, "setup.py"),
    'from setuptools import setup\n\nsetup(name="greetlib", version="1.0", packages=["greetlib"])\n',
  );
  writeFileSync(
    join(dep, "greetlib", "__init__.py"),
    "def titlecase(word):\n    return word[:1].upper() + word[1:].lower()\n",
  );
  mkdirSync(join(root, "repo", "vendor"), { recursive: true });
  const repo = new TempRepo(join(root, "repo"));
  run(
    "/usr/bin/python3",
    ["-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", join(repo.dir, "vendor"), "."],
    dep,
    env,
  );
  const base = repo.commit("titles with a vendored dependency", {
    "requirements.txt": "./vendor/greetlib-1.0-py3-none-any.whl\n",
    "app/__init__.py": "",
    "app/titles.py":
      'from greetlib import titlecase\n\n\ndef title(text):\n    return " ".join(titlecase(w) for w in text.split(" "))\n',
    "tests/__init__.py": "",
    "tests/test_titles.py": [
      "import unittest",
      "",
      "from app.titles import title",
      "",
      "",
      "class TestTitle(unittest.TestCase):",
      "    def test_words(self):",
      '        self.assertEqual(title("hello WORLD"), "Hello World")',
      "",
      "    def test_spaces(self):",
      '        self.assertEqual(title("  many   spaces "), "Many Spaces")',
      "",
    ].join("\n"),
  });
  const line = '-    return " ".join(titlecase(w) for w in text.split(" "))';
  const patch = (fixed: string) =>
    `diff --git a/app/titles.py b/app/titles.py\n--- a/app/titles.py\n+++ b/app/titles.py\n@@ -2,4 +2,4 @@ from greetlib import titlecase\n \n \n def title(text):\n${line}\n+    ${fixed}\n`;
  return {
    repo,
    base,
    correct: patch('return " ".join(titlecase(w) for w in text.split())'),
    wrong: patch('return " ".join(titlecase(w) for w in text.strip().split(" "))'),
    issue: 'title("  many   spaces ") keeps the extra spaces; titles must be single-spaced words.\n',
    testCommand: "cd /testbed && python -m unittest discover -s tests 2>&1 | tail -1",
    passed: /^OK$/m,
    failed: /FAILED \(failures=1\)/,
  };
}
