import ts from "typescript";
const program = ts.createProgram(["src/index.ts", "src/testing/index.ts"], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true });
const checker = program.getTypeChecker();
const missing: string[] = [];
let total = 0;
for (const entry of ["src/index.ts", "src/testing/index.ts"]) {
  const sf = program.getSourceFile(entry)!;
  const mod = checker.getSymbolAtLocation(sf)!;
  for (const exp of checker.getExportsOfModule(mod)) {
    const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    total++;
    const doc = ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();
    const decl = sym.declarations?.[0];
    if (!doc) missing.push(`${exp.name} (${decl ? decl.getSourceFile().fileName.replace(process.cwd() + "/", "") : "?"})`);
  }
}
console.log(`${missing.length} of ${total} exported names have no doc comment`);
console.log(missing.join("\n"));
