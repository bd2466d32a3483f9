import { readdirSync } from "node:fs";
import { join, posix } from "node:path";
import { isRegularFile, readAgentFile } from "../agent-file.js";

/** The virtualenv a detected Python setup makes in the checkout. */
export const SETUP_VENV = ".venv";

const REQUIREMENTS = /^requirements[\w.-]*\.txt$/;
/** Extras of a Python project that hold what its tests need. */
const TEST_EXTRAS = ["test", "tests", "testing", "dev"];
const MANIFEST_MAX_BYTES = 8 * 1024 * 1024;

/** How a checkout's dependencies are installed, as found in its files. */
export interface DetectedSetup {
  /** Shell commands, run in order in the checkout. */
  commands: string[];
  /** Environment the agent's commands get once setup is done (the virtualenv on PATH). */
  agentEnv: Record<string, string>;
  /** Lockfiles found whose installer this machine lacks, as notes for the user. */
  missing: string[];
}

export interface DetectOptions {
  /** Where the checkout is, as commands in the sandbox see it (`/testbed`). */
  testbed: string;
  /** The sandbox's PATH, which a virtualenv's `bin` goes in front of. */
  path: string;
  /** Whether a program is installed (on the sandbox's PATH). */
  hasProgram: (name: string) => boolean;
}

/**
 * The repository's own way to install its dependencies, from the files at the top of `checkout` (a host folder):
 * `package-lock.json` → `npm ci`; `pnpm-lock.yaml` / `yarn.lock` → pnpm or yarn when installed; a `package.json`
 * with dependencies and no lockfile → `npm install`; `requirements*.txt`, `pyproject.toml` or `setup.py` → a virtualenv in the checkout with
 * `pip install` of the requirements and of the project itself (editable, with its test extras).
 */
export function detectSetup(checkout: string, options: DetectOptions): DetectedSetup {
  const has = (name: string) => isRegularFile(join(checkout, name));
  const commands: string[] = [];
  const missing: string[] = [];
  const agentEnv: Record<string, string> = {};

  if (has("package-lock.json") || has("npm-shrinkwrap.json")) {
    if (options.hasProgram("npm")) commands.push("npm ci --no-audit --no-fund");
    else missing.push("package-lock.json (npm)");
  } else if (has("pnpm-lock.yaml")) {
    if (options.hasProgram("pnpm")) commands.push("pnpm install --frozen-lockfile");
    else missing.push("pnpm-lock.yaml (pnpm)");
  } else if (has("yarn.lock")) {
    if (options.hasProgram("yarn"))
      commands.push(has(".yarnrc.yml") ? "yarn install --immutable" : "yarn install --frozen-lockfile");
    else missing.push("yarn.lock (yarn)");
  } else if (has("package.json") && declaresDependencies(manifestText(join(checkout, "package.json")))) {
    if (options.hasProgram("npm")) commands.push("npm install --no-audit --no-fund --no-package-lock");
    else missing.push("package.json (npm)");
  }

  const requirements = readdirSync(checkout)
    .filter((name) => REQUIREMENTS.test(name) && has(name))
    .sort();
  const pyproject = has("pyproject.toml") ? manifestText(join(checkout, "pyproject.toml")) : "";
  const installable = has("setup.py") || /^\[(project|build-system)\]/m.test(pyproject);
  if (requirements.length > 0 || installable) {
    if (options.hasProgram("python3")) {
      const pip = `${SETUP_VENV}/bin/python -m pip install`;
      commands.push(`python3 -m venv ${SETUP_VENV}`);
      if (requirements.length > 0)
        commands.push(`${pip} ${requirements.map((name) => `-r ${name}`).join(" ")}`);
      if (installable) {
        const extras = optionalDependencies(pyproject).filter((name) => TEST_EXTRAS.includes(name));
        commands.push(`${pip} -e '.${extras.length > 0 ? `[${extras.join(",")}]` : ""}'`);
      }
      const venv = posix.join(options.testbed, SETUP_VENV);
      agentEnv.VIRTUAL_ENV = venv;
      agentEnv.PATH = `${venv}/bin:${options.path}`;
    } else missing.push("Python project (python3)");
  }
  return { commands, agentEnv, missing };
}

/** The names of `[project.optional-dependencies]` in a `pyproject.toml`. */
export function optionalDependencies(pyproject: string): string[] {
  const section = /^\[project\.optional-dependencies\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(pyproject);
  if (!section?.[1]) return [];
  return [...section[1].matchAll(/^\s*["']?([A-Za-z0-9][\w.-]*)["']?\s*=/gm)].map(
    (match) => match[1] as string,
  );
}

/** Whether a `package.json` names any dependency to install. */
function declaresDependencies(packageJson: string): boolean {
  try {
    const manifest = JSON.parse(packageJson) as Record<string, unknown>;
    return ["dependencies", "devDependencies", "optionalDependencies"].some((field) => {
      const value = manifest[field];
      return typeof value === "object" && value !== null && Object.keys(value).length > 0;
    });
  } catch {
    return false;
  }
}

function manifestText(path: string): string {
  const file = readAgentFile(path, MANIFEST_MAX_BYTES);
  return file.kind === "file" ? file.text : "";
}
