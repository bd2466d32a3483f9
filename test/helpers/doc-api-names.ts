import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** A name the documentation uses as swe-review API, and where. */
export interface DocName {
  name: string;
  /** The entry point a code block imports it from; absent for a name in inline code (either entry will do). */
  from?: string | undefined;
  where: string;
}

const FENCE = /^```(\w*)[^\n]*\n([\s\S]*?)^```/gm;
const SCRIPT_LANGS = new Set(["ts", "typescript", "js", "javascript", "mjs", "tsx"]);
const IMPORT = /import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["'](swe-review(?:\/[\w-]+)?)["']/g;
const INLINE = /`([^`\n]+)`/g;
/** A call of a camelCase function (`runReview(request, environment)`), not a method (`JSON.parse(`). */
const CALL = /(?<![.\w$])([a-z][a-zA-Z0-9]*[A-Z][a-zA-Z0-9]*)\(/g;
/**
 * A whole span that is one name: PascalCase (`Model`, `ReviewOutcome`) or camelCase (`openHandsToolset`), not a
 * constant (`FAIL_TO_PASS`), a plain word (`approve`) or a snake_case field (`base_commit`).
 */
const WHOLE_NAME = /^(?:new )?([A-Z][a-z][a-zA-Z0-9]*|[a-z][a-z0-9]*[A-Z][a-zA-Z0-9]*)$/;

/**
 * Markdown files a user reads: README.md and docs/**, except the pages for contributors, which name internals on
 * purpose (docs/architecture.md: the layers and the flow of a review through the files; docs/records.md: each
 * record's schema, writer and readers, and the field names of earlier formats).
 */
const CONTRIBUTOR_PAGES = new Set(["architecture.md", "records.md"]);

export function docFiles(root: string): string[] {
  const files = [join(root, "README.md")];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".md") && !CONTRIBUTOR_PAGES.has(entry.name)) files.push(path);
    }
  };
  walk(join(root, "docs"));
  return files;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/**
 * The names the documentation uses as API: everything a TS/JS code block imports from `swe-review` or a subpath, the
 * functions inline code calls, and the PascalCase and camelCase names inline code shows alone.
 */
export function docApiNames(root: string): DocName[] {
  const names: DocName[] = [];
  for (const file of docFiles(root)) {
    const text = readFileSync(file, "utf8");
    const where = (index: number) => `${relative(root, file)}:${lineOf(text, index)}`;
    const fences: [number, number][] = [];
    for (const fence of text.matchAll(FENCE)) {
      fences.push([fence.index, fence.index + fence[0].length]);
      if (!SCRIPT_LANGS.has(fence[1] ?? "")) continue;
      const body = fence[2] ?? "";
      for (const imported of body.matchAll(IMPORT)) {
        for (const part of (imported[1] ?? "").split(",")) {
          const name = part
            .trim()
            .replace(/^type\s+/, "")
            .split(/\s+as\s+/)[0]
            ?.trim();
          if (name) names.push({ name, from: imported[2], where: where(fence.index + imported.index) });
        }
      }
    }
    const inFence = (index: number) => fences.some(([start, end]) => index >= start && index < end);
    for (const span of text.matchAll(INLINE)) {
      if (inFence(span.index)) continue;
      const code = span[1] ?? "";
      for (const call of code.matchAll(CALL)) names.push({ name: call[1] ?? "", where: where(span.index) });
      const whole = WHOLE_NAME.exec(code)?.[1];
      if (whole) names.push({ name: whole, where: where(span.index) });
    }
  }
  return names;
}
