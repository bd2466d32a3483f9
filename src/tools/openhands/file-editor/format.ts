/** Text formats of OpenHands' file editor (openhands-tools.md §2.2). */

/** `cat -n` style: each line as `{n:6}\t{text}`, numbered from `firstLine`. */
export function numbered(text: string, firstLine = 1): string {
  return text
    .split("\n")
    .map((line, index) => `${String(index + firstLine).padStart(6)}\t${line}`)
    .join("\n");
}

/** The standard "result of running cat -n" block, ending with a newline. */
export function catN(text: string, description: string, firstLine = 1): string {
  return `Here's the result of running \`cat -n\` on ${description}:\n${numbered(text, firstLine)}\n`;
}

/** Python's list repr for integers, as error messages show them (`[1, 12, 13]`). */
export function pyList(values: readonly unknown[]): string {
  return `[${values.map((value) => (typeof value === "string" ? `'${value}'` : String(value))).join(", ")}]`;
}

export const FILE_CLIP_NOTICE =
  "<response clipped><NOTE>Only part of this file has been shown to you. Search the file with `grep -n` to find the line numbers you need, then view it again with a `view_range`.</NOTE>";

export const DIRECTORY_CLIP_NOTICE =
  "<response clipped><NOTE>Due to the max output limit, only part of this directory has been shown to you. You should use `ls -la` instead to view large directories incrementally.</NOTE>";

export const IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"];
