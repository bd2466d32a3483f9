import { existsSync, readFileSync } from "node:fs";
import { join, normalize } from "node:path";
import { parsePatch } from "diff";

/** Files longer than this are shown as excerpts around the changed lines. */
export const WHOLE_FILE_LINES = 500;
/** Lines shown around each hunk of a long file (half before, half after). */
export const EXCERPT_LINES = 100;

/**
 * The pre-change versions of the files a patch touches, as the paper's single-turn-with-context baseline gives them:
 * whole files up to 500 lines, else 100 lines around each hunk (numbered, merged where they overlap).
 */
export function preChangeContext(patch: string, checkout: string): string {
  const sections: string[] = [];
  for (const file of parsePatch(patch)) {
    const path = stripPrefix(file.oldFileName);
    if (!path) continue; // a new file has no pre-change version
    const full = join(checkout, normalize(path));
    if (!full.startsWith(`${checkout}/`) || !existsSync(full)) continue;
    const lines = readFileSync(full, "utf8").replace(/\n$/, "").split("\n");
    if (lines.length <= WHOLE_FILE_LINES) {
      sections.push(`### ${path}\n\n\`\`\`\n${lines.join("\n")}\n\`\`\``);
      continue;
    }
    const half = EXCERPT_LINES / 2;
    const ranges = file.hunks
      .map(
        (hunk) =>
          [
            Math.max(1, hunk.oldStart - half),
            Math.min(lines.length, hunk.oldStart + hunk.oldLines + half),
          ] as const,
      )
      .sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [start, end] of ranges) {
      const last = merged.at(-1);
      if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    const excerpts = merged.map(([start, end]) =>
      lines
        .slice(start - 1, end)
        .map((line, index) => `${String(start + index).padStart(6)}  ${line}`)
        .join("\n"),
    );
    sections.push(
      `### ${path} (${lines.length} lines; excerpts around the changed lines)\n\n\`\`\`\n${excerpts.join("\n   ...\n")}\n\`\`\``,
    );
  }
  return sections.join("\n\n");
}

function stripPrefix(name: string | undefined): string | undefined {
  if (!name || name === "/dev/null") return undefined;
  return name.replace(/^[ab]\//, "");
}
