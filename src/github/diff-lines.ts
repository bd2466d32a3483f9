import { parsePatch } from "diff";

/** The lines one hunk shows: new-file lines (RIGHT: added and context) and old-file lines (LEFT: removed and context). */
export interface DiffHunk {
  right: ReadonlySet<number>;
  left: ReadonlySet<number>;
}

export interface DiffFile {
  /** The path after the change (before it, for a deleted file). */
  path: string;
  hunks: DiffHunk[];
  binary: boolean;
}

/**
 * The files of a unified diff and, per hunk, the line numbers a pull-request review comment can be placed on:
 * GitHub accepts a comment only on a line the diff shows, and a multi-line comment only within one hunk.
 */
export function diffFiles(diff: string): DiffFile[] {
  return parsePatch(diff).flatMap((file) => {
    const path = filePath(file.newFileName) ?? filePath(file.oldFileName);
    if (!path) return [];
    const hunks = file.hunks.map((hunk) => {
      const right = new Set<number>();
      const left = new Set<number>();
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      for (const line of hunk.lines) {
        if (line.startsWith("+")) right.add(newLine++);
        else if (line.startsWith("-")) left.add(oldLine++);
        else if (line.startsWith(" ") || line === "") {
          right.add(newLine++);
          left.add(oldLine++);
        }
        // "\ No newline at end of file" is not a line of either file.
      }
      return { right, left };
    });
    return [{ path, hunks, binary: Boolean(file.isBinary) }];
  });
}

function filePath(name: string | undefined): string | undefined {
  if (!name || name === "/dev/null") return undefined;
  return name.replace(/^[ab]\//, "");
}

/**
 * The diff without binary files' sections (a pull request's diff says only "Binary files … differ" for them,
 * which `git apply` cannot apply), and the paths left out.
 */
export function withoutBinaryFiles(diff: string): { diff: string; binary: string[] } {
  const sections = diff.split(/(?=^diff --git )/m);
  const binary: string[] = [];
  const kept = sections.filter((section) => {
    if (!/^diff --git /.test(section) || !/^(Binary files .* differ|GIT binary patch)$/m.test(section))
      return true;
    const [file] = diffFiles(section);
    binary.push(file?.path ?? section.split("\n", 1)[0] ?? "");
    return false;
  });
  return { diff: kept.join(""), binary };
}
