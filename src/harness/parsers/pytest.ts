import { recordStatus, type StatusMap, type TestStatus } from "./status.js";
import { logLines } from "./text.js";

export interface PytestParserOptions {
  /**
   * A parameter that is an absolute path keeps only its last component (`test_x[/tmp/abc/data.txt]` →
   * `test_x[/data.txt]`), so ids do not depend on where the checkout was. SWE-bench names requests', pylint's and
   * pydicom's tests this way.
   */
  shortenPathParams?: boolean;
  /** Literal replacements applied to every name (SWE-bench's matplotlib names: `MouseButton.LEFT` → `1`). */
  replacements?: readonly (readonly [string, string])[];
}

const STATUS = "PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS";
/** `-rA` short summary: `PASSED id`, `FAILED id - message`, `XPASS id reason` (pytest 7), `ERROR path` (collection). */
const SUMMARY_LINE = new RegExp(`^(${STATUS}) (.+)$`);
/** `-v` progress: `id PASSED [ 10%]`, `id XFAIL (reason)`, classic style without the percentage. */
const VERBOSE_LINE = new RegExp(`^(\\S+::.*?) (${STATUS})(?: \\(.*\\))?(?:\\s+\\[\\s*\\d+%\\])?\\s*$`);
/** `SKIPPED [2] path:line: reason` summarises skips by location; the `[2]` is a count, not a test. */
const SKIP_COUNT = /^\[\d+\]/;

/**
 * Parses pytest output run with `-rA` (the short summary lists every test with its outcome) and, when present,
 * `-v` progress lines. Parametrized ids keep their spaces and brackets: `test_p[a b]`, `test_p[c - d]`.
 * A collection error is recorded under the file's path (`ERROR tests/test_x.py`); the tests in that file are then
 * absent, which grading counts as failed.
 */
export function parsePytestLog(log: string, options: PytestParserOptions = {}): StatusMap {
  const map: StatusMap = new Map();
  const record = (rawName: string, status: TestStatus) => {
    const name = normaliseName(rawName, options);
    if (name) recordStatus(map, name, status);
  };
  for (const line of logLines(log)) {
    const summary = SUMMARY_LINE.exec(line);
    if (summary) {
      const [, status, rest] = summary as unknown as [string, TestStatus, string];
      if (status === "SKIPPED" && SKIP_COUNT.test(rest)) continue;
      record(leadingNodeId(rest), status);
      continue;
    }
    const verbose = VERBOSE_LINE.exec(line);
    if (verbose) record(verbose[1] as string, verbose[2] as TestStatus);
  }
  return map;
}

/**
 * The node id at the start of `text`, which may be followed by ` - message` or ` reason`. The id ends at the first
 * whitespace outside brackets, so parameters with spaces or ` - ` stay whole. Unbalanced brackets (a parameter
 * with a lone `[`) fall back to cutting at the first ` - `.
 */
export function leadingNodeId(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "[") depth++;
    else if (char === "]") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (char === " " || char === "\t")) return text.slice(0, i);
  }
  if (depth === 0) return text.trim();
  const dash = text.indexOf(" - ");
  return (dash === -1 ? text : text.slice(0, dash)).trim();
}

function normaliseName(name: string, options: PytestParserOptions): string {
  let out = name;
  for (const [from, to] of options.replacements ?? []) out = out.split(from).join(to);
  if (options.shortenPathParams) out = shortenPathParam(out);
  return out;
}

function shortenPathParam(name: string): string {
  const open = name.indexOf("[");
  const close = name.lastIndexOf("]");
  if (open === -1 || close < open) return name;
  const param = name.slice(open + 1, close);
  if (!param.startsWith("/") || param.startsWith("//") || param.includes("*")) return name;
  return `${name.slice(0, open)}[/${param.split("/").pop() ?? ""}]${name.slice(close + 1)}`;
}
