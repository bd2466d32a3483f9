import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  crossModuleImports,
  cyclesOf,
  fileImports,
  type Graph,
  graphOf,
  layersOf,
  moduleOfFile,
  stronglyConnected,
  topLevel,
} from "./helpers/module-map.js";

/**
 * The layers of `docs/architecture.md` hold: no two files of `src/` import each other (directly or round a
 * cycle, type-only imports included), no two top-level modules do, and so every import goes down to a lower
 * layer. A failure names the cycle and the imports that close it; the fix is to move the shared piece down.
 * The measured layers are printed for the architecture page.
 */

const SRC = join(import.meta.dirname, "..", "src");
const files = fileImports(SRC);
const modules = crossModuleImports(SRC);
const moduleGraph = graphOf(modules.map((i) => [topLevel(i.from), topLevel(i.to)] as const));
const moduleLayers = layersOf(moduleGraph);

/**
 * A cycle and the imports that close it, one line per importing file and imported file, as a contributor would
 * read them; `nodeOf` names the node a file belongs to (the file itself, or its top-level module).
 */
const describeCycle = (cycle: string[], nodeOf: (file: string) => string): string => {
  const inside = files.filter((i) => {
    const [a, b] = [nodeOf(i.file), nodeOf(i.target)];
    return a !== b && cycle.includes(a) && cycle.includes(b);
  });
  const lines = inside.map((i) => `  ${i.file} → ${i.target}${i.typeOnly ? " (type only)" : ""}`);
  return [`{${cycle.join(" ")}}`, ...new Set(lines)].join("\n");
};
const topLevelOf = (file: string): string => topLevel(moduleOfFile(file));

/** Rows of `layer: names`, bottom first; nodes of one cycle (folders of one module may form one) as `{a b}`. */
const layerRows = (graph: Graph): string[] => {
  const layers = layersOf(graph);
  const rows = new Map<number, string[]>();
  for (const comp of stronglyConnected(graph)) {
    const layer = layers.get(comp[0] ?? "") ?? 0;
    rows.set(layer, [
      ...(rows.get(layer) ?? []),
      comp.length === 1 ? (comp[0] ?? "") : `{${comp.join(" ")}}`,
    ]);
  }
  return [...rows.keys()].sort((a, b) => a - b).map((l) => `${l}: ${(rows.get(l) ?? []).sort().join(", ")}`);
};

describe("module layers", () => {
  it("reads the imports of src/ (a bound against finding nothing and so passing)", () => {
    expect(files.length).toBeGreaterThan(500);
    expect(moduleLayers.get("cli.ts")).toBeGreaterThan(5);
  });

  it("has no import cycle between files, type-only imports included", () => {
    const cycles = cyclesOf(graphOf(files.map((i) => [i.file, i.target] as const)));
    expect(cycles.map((c) => describeCycle(c, (file) => file))).toEqual([]);
  });

  it("has no import cycle between top-level modules", () => {
    expect(cyclesOf(moduleGraph).map((c) => describeCycle(c, topLevelOf))).toEqual([]);
  });

  it("every import between top-level modules goes down a layer", () => {
    const upward = modules
      .filter((i) => topLevel(i.from) !== topLevel(i.to))
      .filter((i) => (moduleLayers.get(topLevel(i.from)) ?? 0) <= (moduleLayers.get(topLevel(i.to)) ?? 0))
      .map((i) => `${i.file} → ${i.to}`);
    expect([...new Set(upward)]).toEqual([]);
    console.log(`Layers of top-level modules (bottom first):\n${layerRows(moduleGraph).join("\n")}`);
    const folders = graphOf(modules.map((i) => [i.from, i.to] as const));
    console.log(`Layers of folders (bottom first):\n${layerRows(folders).join("\n")}`);
  });
});

describe("cycle and layer helpers", () => {
  it("find a cycle, type-only edges or not, and put the rest on layers", () => {
    const g = graphOf([
      ["a.ts", "b.ts"],
      ["b.ts", "c.ts"],
      ["c.ts", "a.ts"],
      ["d.ts", "a.ts"],
    ]);
    expect(cyclesOf(g)).toEqual([["a.ts", "b.ts", "c.ts"]]);
    expect(layersOf(g)).toEqual(
      new Map([
        ["a.ts", 0],
        ["b.ts", 0],
        ["c.ts", 0],
        ["d.ts", 1],
      ]),
    );
    expect(cyclesOf(graphOf([["a.ts", "b.ts"]]))).toEqual([]);
  });
});
