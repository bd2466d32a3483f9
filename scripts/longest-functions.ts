/**
 * Prints the longest functions of a folder, longest first, with file:line and length in lines (first line of the
 * function to its last, both counted; a nested function counts inside its parent and on its own).
 *
 *   npx tsx scripts/longest-functions.ts src/agent        # the 10 longest functions in src/agent (tests left out)
 *   npx tsx scripts/longest-functions.ts src 20 --tests   # the 20 longest in src, test files included
 *
 * Functions are declarations, methods, constructors, accessors, function expressions and arrow functions; an
 * anonymous one is named after the variable, property or call it is written in.
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

export interface FunctionLength {
  file: string;
  line: number;
  name: string;
  lines: number;
}

function sourceFiles(folder: string, withTests: boolean): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder).sort()) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path, withTests));
    else if (/\.tsx?$/.test(entry) && !entry.endsWith(".d.ts") && (withTests || !/\.test\.tsx?$/.test(entry)))
      files.push(path);
  }
  return files;
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(source);
  if (ts.isCallExpression(parent)) return `<argument of ${parent.expression.getText(source).slice(0, 40)}>`;
  return "<anonymous>";
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node)
  );
}

/** Every function with a body in the folder's TypeScript files, longest first. */
export function functionLengths(folder: string, withTests = false): FunctionLength[] {
  const found: FunctionLength[] = [];
  for (const file of sourceFiles(folder, withTests)) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (isFunction(node) && node.body) {
        const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        found.push({
          file: relative(".", file),
          line: first + 1,
          name: nameOf(node, source),
          lines: last - first + 1,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
}

const args = process.argv.slice(2);
const folder = args.find((arg) => !arg.startsWith("--") && !/^\d+$/.test(arg));
if (folder === undefined) {
  console.error("usage: npx tsx scripts/longest-functions.ts <folder> [count] [--tests]");
  process.exit(2);
}
const count = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 10);
for (const fn of functionLengths(folder, args.includes("--tests")).slice(0, count)) {
  console.log(`${String(fn.lines).padStart(5)}  ${fn.file}:${fn.line}  ${fn.name}`);
}
