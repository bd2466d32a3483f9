/** Text helpers shared by the log parsers. */

// CSI sequences (colours, cursor movement) and OSC sequences (hyperlinks) that test runners print.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** The log's lines without terminal escapes and carriage returns. */
export function logLines(log: string): string[] {
  return stripAnsi(log)
    .split("\n")
    .map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/** Drops one trailing duration such as ` (12 ms)`, ` (1.5 s)`, ` 3ms` or ` (0.56ms)`. */
export function stripDuration(text: string): string {
  return text.replace(/\s+\(?\d+(?:\.\d+)?\s?(?:ms|s)\)?$/, "");
}

/** The titles of the blocks enclosing a line, for outputs that nest suites by indentation (Mocha, TAP subtests). */
export class IndentPath {
  #open: { indent: number; title: string }[] = [];

  /** Closes every block a line at `indent` is not inside and returns the titles of those it is, outermost first. */
  at(indent: number): string[] {
    this.#open = this.#open.filter((block) => block.indent < indent);
    return this.#open.map((block) => block.title);
  }

  open(indent: number, title: string): void {
    this.#open.push({ indent, title });
  }

  clear(): void {
    this.#open = [];
  }
}
