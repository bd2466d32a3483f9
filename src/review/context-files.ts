import { realpathSync } from "node:fs";
import { basename, dirname, join, normalize } from "node:path";
import { parsePatch } from "diff";
import { readAgentFile } from "../workspace/agent-file.js";

/** Files longer than this are shown as excerpts around the changed lines. */
export const WHOLE_FILE_LINES = 500;
/** Lines shown around each hunk of a long file (half before, half after). */
export const EXCERPT_LINES = 100;
/** The largest file read for its excerpts. */
const FILE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The pre-change versions of the files a patch touches, as the paper's single-turn-with-context baseline gives them:
 * whole files up to 500 lines, else 100 lines around each hunk (numbered, merged where they overlap).
 */
export function preChangeContext(patch: string, checkout: string): string {
  const sections: string[] = [];
  for (const file of parsePatch(patch)) {
    const path = stripPrefix(file.oldFileName);
    if (!path) continue; // a new file has no pre-change version
    const text = checkoutFile(checkout, path);
    if (text === undefined) continue;
    const lines = text.replace(/\n$/, "").split("\n");
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

/**
 * A file of the checkout, read as untrusted (the repository can commit links, its setup can leave anything): no link
 * is followed, to the file or through a folder on the way, and no FIFO or device is read (see `readAgentFile`).
 */
function checkoutFile(checkout: string, path: string): string | undefined {
  const full = join(checkout, normalize(path));
  if (!full.startsWith(`${checkout}/`)) return undefined;
  try {
    const top = realpathSync(checkout);
    const dir = realpathSync(dirname(full));
    if (dir !== top && !dir.startsWith(`${top}/`)) return undefined;
    const file = readAgentFile(join(dir, basename(full)), FILE_MAX_BYTES);
    return file.kind === "file" ? file.text : undefined;
  } catch {
    return undefined;
  }
}

function stripPrefix(name: string | undefined): string | undefined {
  if (!name || name === "/dev/null") return undefined;
  return name.replace(/^[ab]\//, "");
}
