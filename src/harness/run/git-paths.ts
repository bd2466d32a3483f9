/**
 * A path in the checkout as bytes (what the file system holds) and as text (to match and show). A candidate
 * chooses its file names, so they may hold newlines, quotes or bytes that are not UTF-8: the bytes are what the
 * harness passes back to the shell, never the text.
 */
export interface CheckoutPath {
  text: string;
  bytes: Buffer;
}

export function checkoutPath(text: string): CheckoutPath {
  return { text, bytes: Buffer.from(text, "utf8") };
}

/** The paths git prints one per line with `core.quotePath` on (special ones C-quoted: `"a\nb\303\251"`). */
export function parseGitPaths(output: string): CheckoutPath[] {
  return output
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const bytes =
        line.startsWith('"') && line.endsWith('"') ? unquoteC(line.slice(1, -1)) : Buffer.from(line);
      return { text: bytes.toString("utf8"), bytes };
    });
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

function unquoteC(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char !== "\\") {
      bytes.push(...Buffer.from(char, "utf8"));
      continue;
    }
    const next = text[i + 1] ?? "";
    const octal = /^[0-3][0-7]{2}/.exec(text.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes);
}

/** A bash word for the path's exact bytes: `$'…'` with every byte but letters, digits and `._/+-` in octal. */
export function shellWord(path: CheckoutPath): string {
  let word = "";
  for (const byte of path.bytes) {
    const char = String.fromCharCode(byte);
    word += /[A-Za-z0-9._/+-]/.test(char) ? char : `\\${byte.toString(8).padStart(3, "0")}`;
  }
  return `$'${word}'`;
}
