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

/** One import of one source file, resolved to the file it names (both relative to `src/`, `/` separators). */
export interface FileImport {
  /** Importing file (`agent/run-agent.ts`). */
  file: string;
  /** Imported file (`trajectory/schema.ts`). */
  target: string;
  /** True when the import is `import type` only (erased at run time). */
  typeOnly: boolean;
}

/** Every non-test source file under `srcDir`, as absolute paths. */
function sourceFiles(root: string): string[] {
  const files = sourceFilesIn(root).map((f) => join(root, f));
  for (const m of moduleFolders(root)) files.push(...sourceFilesIn(m.dir).map((f) => join(m.dir, f)));
  return files;
}

const toSrcPath = (root: string, file: string): string =>
  posix.normalize(relative(root, file).split(sep).join("/"));

/** Relative imports (static, re-exports and dynamic `import()`) of every non-test source file under `srcDir`. */
export function fileImports(srcDir: string): FileImport[] {
  const root = resolve(srcDir);
  const out: FileImport[] = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, "utf8");
    const specs: { spec: string; typeOnly: boolean }[] = [];
    for (const m of text.matchAll(IMPORT_RE)) specs.push({ spec: m[3] ?? "", typeOnly: m[2] !== undefined });
    for (const m of text.matchAll(DYNAMIC_IMPORT_RE)) specs.push({ spec: m[1] ?? "", typeOnly: false });
    for (const { spec, typeOnly } of specs) {
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
      const targetFile = existsSync(target) ? target : join(target, "index.ts");
      out.push({ file: toSrcPath(root, file), target: toSrcPath(root, targetFile), typeOnly });
    }
  }
  return out;
}

/** The module of a file relative to `src/`: its folder, or the file's own name for files directly in `src/`. */
export function moduleOfFile(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash < 0 ? file : file.slice(0, slash);
}

/** Relative imports of every non-test source file under `srcDir` that cross a module boundary. */
export function crossModuleImports(srcDir: string): ModuleImport[] {
  return fileImports(srcDir)
    .map((i) => ({
      file: i.file,
      from: moduleOfFile(i.file),
      to: moduleOfFile(i.target),
      typeOnly: i.typeOnly,
    }))
    .filter((i) => i.from !== i.to);
}

/** A directed graph: node → the nodes it points to. */
export type Graph = Map<string, Set<string>>;

/** The graph of `edges` (every node named in an edge is a node; self-edges are dropped). */
export function graphOf(edges: Iterable<readonly [string, string]>): Graph {
  const g: Graph = new Map();
  for (const [a, b] of edges) {
    if (!g.has(a)) g.set(a, new Set());
    if (!g.has(b)) g.set(b, new Set());
    if (a !== b) g.get(a)?.add(b);
  }
  return g;
}

/**
 * The strongly connected components of a graph (Tarjan), each sorted; a component of more than one node is an
 * import cycle. Components come out dependencies first.
 */
export function stronglyConnected(g: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      out.push(comp.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** The cycles of a graph: its strongly connected components of more than one node. */
export function cyclesOf(g: Graph): string[][] {
  return stronglyConnected(g).filter((c) => c.length > 1);
}

/**
 * The layer of every node: 0 for a node that points nowhere, else 1 + the highest layer it points to. The nodes
 * of one cycle share a layer (the cycle is one node here), so a graph with cycles still gets layers.
 */
export function layersOf(g: Graph): Map<string, number> {
  const comps = stronglyConnected(g);
  const compOf = new Map<string, number>();
  comps.forEach((c, i) => {
    for (const m of c) compOf.set(m, i);
  });
  const layerOfComp = new Map<number, number>();
  const layerOf = (c: number): number => {
    const known = layerOfComp.get(c);
    if (known !== undefined) return known;
    let layer = 0;
    for (const m of comps[c] ?? [])
      for (const dep of g.get(m) ?? []) {
        const dc = compOf.get(dep);
        if (dc !== undefined && dc !== c) layer = Math.max(layer, layerOf(dc) + 1);
      }
    layerOfComp.set(c, layer);
    return layer;
  };
  const out = new Map<string, number>();
  for (const [m, c] of compOf) out.set(m, layerOf(c));
  return out;
}

/** The top-level module of a module name: `model/openai` → `model`. */
export function topLevel(module: string): string {
  return module.split("/")[0] ?? module;
}
