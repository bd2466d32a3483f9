import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/** The package as `npm pack` ships it, installed into a project of its own. */
export interface InstalledPackage {
  /** The project folder: `node_modules/swe-review` is the unpacked tarball. */
  project: string;
  tarball: string;
}

/**
 * Packs `root` and unpacks the tarball as `node_modules/swe-review` of a new project in `dir`. Its runtime
 * dependencies are links to the ones `root` has installed (only those `package.json` lists as `dependencies`, so
 * code in the tarball that needs a devDependency fails to load), which keeps this offline and quick; `@types/node`
 * is linked too, for a TypeScript user's view of the types.
 */
export function installPacked(root: string, dir: string): InstalledPackage {
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8" }),
  ) as { filename: string }[];
  const tarball = join(dir, packed[0]?.filename ?? "");
  const project = join(dir, "project");
  const installed = join(project, "node_modules", "swe-review");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "probe", private: true, type: "module" }),
  );
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const source = realpathSync(join(root, "node_modules"));
  for (const name of [...Object.keys(manifest.dependencies ?? {}), "@types/node"]) {
    const link = join(project, "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(source, name), link, "dir");
  }
  return { project, tarball };
}

/** The names an entry point exports, as a TypeScript program that imports it sees them. */
export interface EntryNames {
  /** Values: functions, classes, constants, schemas (what `import *` holds at run time). */
  values: string[];
  /** Types and interfaces only. */
  types: string[];
}

/** What each entry point (`swe-review`, `swe-review/testing`) exports, read by the TypeScript compiler. */
export function declaredNames(project: string, specifiers: readonly string[]): Record<string, EntryNames> {
  const probe = join(project, "probe.ts");
  writeFileSync(probe, specifiers.map((spec, i) => `import * as entry${i} from "${spec}";\n`).join(""));
  const program = ts.createProgram([probe], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
  });
  const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(probe));
  if (problems.length > 0)
    throw new Error(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"));
  const checker = program.getTypeChecker();
  const names: Record<string, EntryNames> = {};
  const file = program.getSourceFile(probe);
  for (const statement of file?.statements ?? []) {
    if (!ts.isImportDeclaration(statement)) continue;
    const spec = (statement.moduleSpecifier as ts.StringLiteral).text;
    const module = checker.getSymbolAtLocation(statement.moduleSpecifier);
    const entry: EntryNames = { values: [], types: [] };
    for (const symbol of module ? checker.getExportsOfModule(module) : []) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const isValue = target.flags & ts.SymbolFlags.Value && !typeOnly(symbol);
      (isValue ? entry.values : entry.types).push(symbol.name);
    }
    entry.values.sort();
    entry.types.sort();
    names[spec] = entry;
  }
  return names;
}

/** Exported with `export type`: a class exported so is a type only, absent at run time. */
function typeOnly(symbol: ts.Symbol): boolean {
  const declaration = symbol.declarations?.[0];
  return (
    declaration !== undefined &&
    ts.isExportSpecifier(declaration) &&
    (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly)
  );
}

/** What `import *` of an entry point holds when Node loads it from the project. */
export function loadedNames(project: string, specifier: string): string[] {
  const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: project,
    encoding: "utf8",
  });
  return JSON.parse(out) as string[];
}
