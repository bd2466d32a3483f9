import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";

/**
 * The map of the code, read from the source tree: which folders of `src/` are modules, which files each holds,
 * which files its README lists, and which modules import which. Used by `test/module-map.test.ts` (the READMEs
 * cannot go stale) and `scripts/module-imports.ts` (the layers in `docs/architecture.md` are derived, not guessed).
 */

/** A module: a folder under `src/`, named by its path relative to `src/` with `/` separators (`model/openai`). */
export interface ModuleFolder {
  name: string;
  dir: string;
}

/** Source files of a folder: `.ts` files directly in it, tests (`*.test.ts`) excluded, sorted. */
export function sourceFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => e.name)
    .sort();
}

/** Every folder under `srcDir` (not `srcDir` itself), depth first, sorted by name. */
export function moduleFolders(srcDir: string): ModuleFolder[] {
  const out: ModuleFolder[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!e.isDirectory()) continue;
      const child = join(dir, e.name);
      // A folder of data only (the mock server's shipped scripts) is part of its module, not one of its own.
      if (readdirSync(child).some((name) => name.endsWith(".ts")))
        out.push({ name: relative(srcDir, child).split(sep).join("/"), dir: child });
      walk(child);
    }
  };
  walk(srcDir);
  return out;
}

/**
 * The `.ts` files a module README lists: every list item under its `## Files` heading that starts with a
 * backquoted file name (`` - `budget.ts` — … ``). Anything else in the README is free text.
 */
export function filesListedInReadme(readme: string): string[] {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => /^##\s+Files\s*$/.test(l));
  if (start < 0) return [];
  const listed: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,2}\s/.test(line)) break;
    const m = /^\s*[-*]\s+`([^`]+\.ts)`/.exec(line);
    if (m?.[1]) listed.push(m[1]);
  }
  return listed;
}

/** How a listed set differs from the real one; both empty when the README is right. */
export function compareFileLists(
  actual: string[],
  listed: string[],
): { missing: string[]; extra: string[]; duplicated: string[] } {
  const listedSet = new Set(listed);
  const actualSet = new Set(actual);
  return {
    missing: actual.filter((f) => !listedSet.has(f)),
    extra: [...listedSet].filter((f) => !actualSet.has(f)),
    duplicated: [...new Set(listed.filter((f, i) => listed.indexOf(f) !== i))],
  };
}

/** One import of one source file that lands in another module. */
export interface ModuleImport {
  /** Importing file, relative to `src/` (`agent/run-agent.ts`). */
  file: string;
  /** Module of the importing file (`agent`; a file directly in `src/` is a module of its own: `version.ts`). */
  from: string;
  /** Module of the imported file (`model/scripted`). */
  to: string;
  /** True when the import is `import type` only (erased at run time). */
  typeOnly: boolean;
}

const IMPORT_RE = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/g;
const DYNAMIC_IMPORT_RE = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The module a file belongs to: its folder under `src/`, or the file's own name for files directly in `src/`. */
function moduleOf(srcDir: string, file: string): string {
  const rel = relative(srcDir, dirname(file)).split(sep).join("/");
  return rel === "" ? (file.split(sep).pop() ?? file) : rel;
}

/** Relative imports of every non-test source file under `srcDir` that cross a module boundary. */
export function crossModuleImports(srcDir: string): ModuleImport[] {
  const root = resolve(srcDir);
  const files: string[] = [sourceFilesIn(root).map((f) => join(root, f))].flat();
  for (const m of moduleFolders(root)) files.push(...sourceFilesIn(m.dir).map((f) => join(m.dir, f)));
  const out: ModuleImport[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const specs: { spec: string; typeOnly: boolean }[] = [];
    for (const m of text.matchAll(IMPORT_RE)) specs.push({ spec: m[3] ?? "", typeOnly: m[2] !== undefined });
    for (const m of text.matchAll(DYNAMIC_IMPORT_RE)) specs.push({ spec: m[1] ?? "", typeOnly: false });
    for (const { spec, typeOnly } of specs) {
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
      const targetFile = existsSync(target) ? target : join(target, "index.ts");
      const from = moduleOf(root, file);
      const to = moduleOf(root, targetFile);
      if (from === to) continue;
      out.push({ file: posix.normalize(relative(root, file).split(sep).join("/")), from, to, typeOnly });
    }
  }
  return out;
}

/** The top-level module of a module name: `model/openai` → `model`. */
export function topLevel(module: string): string {
  return module.split("/")[0] ?? module;
}
