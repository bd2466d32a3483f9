import { join, relative } from "node:path";
import ts from "typescript";

/** The entry points of the public API: the `swe-review` package and its `swe-review/testing` subpath. */
export const PUBLIC_ENTRIES = ["src/index.ts", "src/testing/index.ts"] as const;

/** An exported name whose declaration has no doc comment, and the file (relative to the root) that declares it. */
export interface UndocumentedName {
  name: string;
  file: string;
}

/** What the public API's doc comments look like: every exported name, and those without a doc comment. */
export interface PublicApiDocs {
  /** How many names the entry points export (a name exported by both counts twice). */
  total: number;
  undocumented: UndocumentedName[];
}

/**
 * Walks the exports of each public entry point with the TypeScript checker, following re-exports to the declaring
 * symbol, and lists the names whose declaration carries no `/** … *\/` comment. `root` is the repository folder.
 */
export function publicApiDocs(root: string): PublicApiDocs {
  const entries = PUBLIC_ENTRIES.map((entry) => join(root, entry));
  const program = ts.createProgram(entries, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const undocumented: UndocumentedName[] = [];
  let total = 0;
  for (const entry of entries) {
    const sourceFile = program.getSourceFile(entry);
    const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (!moduleSymbol) throw new Error(`cannot read the exports of ${relative(root, entry)}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      total++;
      if (ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()) continue;
      const declaration = symbol.declarations?.[0];
      const file = declaration ? relative(root, declaration.getSourceFile().fileName) : "?";
      undocumented.push({ name: exported.name, file });
    }
  }
  return { total, undocumented };
}
