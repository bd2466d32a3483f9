import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compareFileLists,
  crossModuleImports,
  filesListedInReadme,
  moduleFolders,
  sourceFilesIn,
} from "./helpers/module-map.js";

/**
 * The map of the code cannot go stale: every folder of `src/` (and `src/` itself) has a README.md whose `## Files`
 * list names exactly the non-test `.ts` files in that folder. Adding, renaming or removing a file without updating
 * the README fails here, with the file named.
 */

const SRC = join(import.meta.dirname, "..", "src");
const folders = [{ name: ".", dir: SRC }, ...moduleFolders(SRC)];

/** Every way one folder's README is out of step with the folder, as lines a contributor can act on. */
function readmeProblems(name: string, dir: string): string[] {
  const readmePath = join(dir, "README.md");
  const where = name === "." ? "src/README.md" : `src/${name}/README.md`;
  if (!existsSync(readmePath)) return [`${where} is missing: add one with a "## Files" list`];
  const { missing, extra, duplicated } = compareFileLists(
    sourceFilesIn(dir),
    filesListedInReadme(readFileSync(readmePath, "utf8")),
  );
  return [
    ...missing.map((f) => `${where} does not list ${f} (add "- \`${f}\` — what it holds" under "## Files")`),
    ...extra.map((f) => `${where} lists ${f}, which is not in the folder (remove or rename it)`),
    ...duplicated.map((f) => `${where} lists ${f} more than once`),
  ];
}

describe("module map", () => {
  it("finds the module folders", () => {
    // A bound against the walk silently finding nothing (and so passing).
    expect(folders.map((f) => f.name)).toEqual(
      expect.arrayContaining([".", "agent", "model/openai", "workspace"]),
    );
  });

  it.each(
    folders.map((f) => [f.name === "." ? "src" : `src/${f.name}`, f.name, f.dir] as const),
  )("%s/README.md lists exactly its files", (_label, name, dir) => {
    expect(readmeProblems(name, dir)).toEqual([]);
  });

  it("the workspace supervisor imports nothing from the rest of src/ (it runs alone inside the sandbox)", () => {
    const outward = crossModuleImports(SRC).filter((i) => i.from === "workspace/supervisor");
    expect(outward.map((i) => `${i.file} → ${i.to}`)).toEqual([]);
  });
});

describe("module map helpers", () => {
  it("reads the file list under ## Files only, up to the next heading", () => {
    const readme = [
      "# `src/x/`",
      "- `not-a-file-list.ts` — above the heading",
      "## Files",
      "",
      "- `a.ts` — one",
      "* `b.ts` — two",
      "- not a file",
      "## Later",
      "- `c.ts` — after the list",
    ].join("\n");
    expect(filesListedInReadme(readme)).toEqual(["a.ts", "b.ts"]);
  });

  it("names missing, extra and duplicated files", () => {
    expect(compareFileLists(["a.ts", "b.ts"], ["b.ts", "c.ts", "c.ts"])).toEqual({
      missing: ["a.ts"],
      extra: ["c.ts"],
      duplicated: ["c.ts"],
    });
  });

  it("measures cross-module imports, type-only ones marked", () => {
    const imports = crossModuleImports(SRC);
    // `import type { AgentStatus } from "../trajectory/schema.js"`
    expect(imports).toContainEqual({
      file: "agent/budget.ts",
      from: "agent",
      to: "trajectory",
      typeOnly: true,
    });
    // `import { AbortedError } from "../model/errors.js"`
    expect(imports).toContainEqual({
      file: "agent/run-agent.ts",
      from: "agent",
      to: "model",
      typeOnly: false,
    });
    expect(imports.some((i) => i.from === "cli.ts" && i.to === "cli")).toBe(true);
    expect(imports.every((i) => i.from !== i.to)).toBe(true);
  });
});
