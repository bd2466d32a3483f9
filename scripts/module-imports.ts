/**
 * Prints the import graph between the modules of `src/`, derived from the real imports: the layers (bottom first),
 * the imports that go up a layer or round a cycle, and, per folder, the modules it imports.
 *
 *   npx tsx scripts/module-imports.ts            # layers, cycles, upward imports
 *   npx tsx scripts/module-imports.ts --folders  # plus each folder's imports (for the module READMEs)
 *   npx tsx scripts/module-imports.ts --write-readmes  # rewrite the measured Layer and Imports lines of the module READMEs
 *
 * A cycle between files (type-only imports included) is listed too; `test/module-layers.test.ts` keeps there being none.
 *
 * Layer of a top-level module = 1 + the highest layer it imports (type-only imports included: they are
 * dependencies of the source, if not of the running program). Modules that import each other form one cycle and
 * share a layer; the imports that close a cycle are listed so they can be cut.
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  crossModuleImports,
  cyclesOf,
  fileImports,
  graphOf,
  layersOf,
  type ModuleImport,
  moduleFolders,
  stronglyConnected,
  topLevel,
} from "../test/helpers/module-map.js";

const imports = crossModuleImports("src");

/** Top-level graph: module → modules it imports (each file directly in src/ is a module of its own). */
const graph = graphOf(imports.map((i) => [topLevel(i.from), topLevel(i.to)] as const));
const comps = stronglyConnected(graph);
const moduleLayers = layersOf(graph);
const layerOfModule = (m: string): number => moduleLayers.get(m) ?? 0;
const layerOf = (c: number): number => layerOfModule(comps[c]?.[0] ?? "");

const byLayer = new Map<number, string[]>();
for (let c = 0; c < comps.length; c++) {
  const l = layerOf(c);
  byLayer.set(l, [
    ...(byLayer.get(l) ?? []),
    comps[c]?.length === 1 ? (comps[c]?.[0] ?? "") : `{${comps[c]?.join(" ")}}`,
  ]);
}
console.log("# Layers (bottom first; {a b} = modules in one import cycle)");
for (const l of [...byLayer.keys()].sort((a, b) => a - b)) {
  console.log(`${l}: ${(byLayer.get(l) ?? []).sort().join(", ")}`);
}

console.log("\n# Top-level imports (module → modules it imports, with layer)");
for (const m of [...graph.keys()].sort()) {
  const deps = [...(graph.get(m) ?? [])].sort().map((d) => `${d}(${layerOfModule(d)})`);
  console.log(`${m}(${layerOfModule(m)}) → ${deps.join(", ") || "—"}`);
}

const describe = (list: ModuleImport[]): string =>
  [...new Set(list.map((i) => `${i.file} → ${i.to}${i.typeOnly ? " (type only)" : ""}`))].sort().join("\n  ");

console.log("\n# Cycles between top-level modules (the imports that close them)");
for (const c of cyclesOf(graph)) {
  const inCycle = imports.filter(
    (i) => c.includes(topLevel(i.from)) && c.includes(topLevel(i.to)) && topLevel(i.from) !== topLevel(i.to),
  );
  const counts = new Map<string, number>();
  for (const i of inCycle) {
    const k = `${topLevel(i.from)} → ${topLevel(i.to)}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  console.log(`{${c.join(" ")}}: ${[...counts].map(([k, n]) => `${k} (${n})`).join(", ")}`);
  const rare = [...counts].filter(([, n]) => n <= 3).map(([k]) => k);
  const few = inCycle.filter((i) => rare.includes(`${topLevel(i.from)} → ${topLevel(i.to)}`));
  if (few.length > 0) console.log(`  the edges with at most 3 imports:\n  ${describe(few)}`);
}

console.log("\n# Cycles between files (type-only imports included)");
const files = fileImports("src");
for (const c of cyclesOf(graphOf(files.map((i) => [i.file, i.target] as const)))) {
  const inCycle = files.filter((i) => c.includes(i.file) && c.includes(i.target));
  console.log(
    `{${c.join(" ")}}\n  ${inCycle.map((i) => `${i.file} → ${i.target}${i.typeOnly ? " (type only)" : ""}`).join("\n  ")}`,
  );
}

console.log("\n# Submodule cycles inside one top-level module");
const subGraph = graphOf(
  imports.filter((i) => topLevel(i.from) === topLevel(i.to)).map((i) => [i.from, i.to] as const),
);
for (const c of cyclesOf(subGraph)) {
  const inCycle = imports.filter((i) => c.includes(i.from) && c.includes(i.to));
  console.log(`{${c.join(" ")}}\n  ${describe(inCycle)}`);
}

console.log("\n# Layers of folders (submodules as their own nodes; bottom first)");
const folderGraph = graphOf(imports.map((i) => [i.from, i.to] as const));
const folderComps = stronglyConnected(folderGraph);
const folderLayers = layersOf(folderGraph);
const folderLayerOf = (c: number): number => folderLayers.get(folderComps[c]?.[0] ?? "") ?? 0;
const folderRows = new Map<number, string[]>();
for (let c = 0; c < folderComps.length; c++) {
  const l = folderLayerOf(c);
  const comp = folderComps[c] ?? [];
  folderRows.set(l, [
    ...(folderRows.get(l) ?? []),
    comp.length === 1 ? (comp[0] ?? "") : `{${comp.join(" ")}}`,
  ]);
}
for (const l of [...folderRows.keys()].sort((a, b) => a - b)) {
  console.log(`${l}: ${(folderRows.get(l) ?? []).sort().join(", ")}`);
}

/** What a folder imports, each target once, `(types)` when every import of it is type-only. */
function importsOfFolder(folder: string): string[] {
  const mine = imports.filter((i) => i.from === folder);
  const targets = [...new Set(mine.map((i) => i.to))].sort();
  return targets.map((t) => (mine.filter((i) => i.to === t).every((i) => i.typeOnly) ? `${t} (types)` : t));
}

if (process.argv.includes("--folders")) {
  console.log("\n# Per folder: modules it imports (type-only marked)");
  for (const f of [...new Set(imports.map((i) => i.from))].sort())
    console.log(`${f}: ${importsOfFolder(f).join(", ")}`);
}

if (process.argv.includes("--write-readmes")) {
  // Only the two measured lines change; the rest of each README is written by people.
  const top = Math.max(...folderLayers.values());
  let changed = 0;
  for (const { name, dir } of moduleFolders("src")) {
    const path = join(dir, "README.md");
    if (!existsSync(path)) continue;
    const text = readFileSync(path, "utf8");
    const layer = folderLayers.get(name);
    const shown = importsOfFolder(name).map((t) =>
      t.endsWith(" (types)") ? `\`${t.slice(0, -8)}\` (types only)` : `\`${t}\``,
    );
    const next = text
      .replace(/^- \*\*Layer\*\*: \d+ \(of 0–\d+\)/m, `- **Layer**: ${layer ?? 0} (of 0–${top})`)
      .replace(
        /^(- \*\*Imports\*\* \(measured: [^)]*\): ).*$/m,
        `$1${shown.length > 0 ? shown.join(", ") : "nothing outside itself"}.`,
      );
    if (next !== text) {
      writeFileSync(path, next);
      changed++;
      console.log(`updated ${path}`);
    }
  }
  console.log(`${changed} README(s) updated`);
}
