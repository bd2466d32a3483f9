import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { git } from "../workspace/git.js";

/** What an interpreter is and which of the asked-for modules it can import. */
export interface PythonProbe {
  version?: string;
  missingModules: string[];
  error?: string;
}

/** Runs `python` once: its version and which of `modules` it cannot find (without importing them). */
export function probePython(python: string, modules: readonly string[]): Promise<PythonProbe> {
  const script = [
    "import importlib.util, json, sys",
    "mods = json.loads(sys.argv[1])",
    'print(json.dumps({"version": "%d.%d.%d" % sys.version_info[:3], "missing": [m for m in mods if importlib.util.find_spec(m) is None]}))',
  ].join("\n");
  return new Promise((resolve) => {
    execFile(
      python,
      ["-c", script, JSON.stringify(modules)],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) {
          resolve({
            missingModules: [...modules],
            error: (stderr || error.message).trim().split("\n").slice(-1)[0] ?? "",
          });
          return;
        }
        try {
          const parsed = JSON.parse(stdout) as { version: string; missing: string[] };
          resolve({ version: parsed.version, missingModules: parsed.missing });
        } catch {
          resolve({ missingModules: [...modules], error: `unexpected output: ${stdout.slice(0, 200)}` });
        }
      },
    );
  });
}

/** Debian's package for a Python module, by its naming rule (`mpmath` → `python3-mpmath`). */
export function debianPackageFor(module: string): string {
  return `python3-${module.toLowerCase().replaceAll("_", "-")}`;
}

/** The folders commands in a sandbox search for programs (bubblewrap's PATH, or the host's for `local`). */
export const SANDBOX_SEARCH_PATH = [
  "/usr/local/sbin",
  "/usr/local/bin",
  "/usr/sbin",
  "/usr/bin",
  "/sbin",
  "/bin",
];

/** Whether a program can be found on `path`. */
export function findExecutable(name: string, path: readonly string[]): string | undefined {
  if (name.includes("/")) return existsSync(name) ? name : undefined;
  for (const dir of path) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function hostPath(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.PATH ?? "").split(delimiter).filter(Boolean);
}

/** The commits of `commits` that the repository at `dir` does not have (one `git cat-file` for all of them). */
export async function missingCommits(dir: string, commits: readonly string[]): Promise<string[]> {
  if (commits.length === 0) return [];
  const { stdout } = await git(["cat-file", "--batch-check=%(objectname) %(objecttype)"], {
    cwd: dir,
    input: `${commits.join("\n")}\n`,
  });
  const lines = stdout.trim().split("\n");
  return commits.filter((_, index) => !/ commit$/.test(lines[index] ?? ""));
}
