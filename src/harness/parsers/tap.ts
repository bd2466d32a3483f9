import { recordWorstStatus, type StatusMap, type TestStatus } from "./status.js";
import { IndentPath, logLines } from "./text.js";

/** `ok 1 - title`, `not ok 2 title # TODO reason`, indented for subtests (Node's test runner). */
const TEST_POINT = /^(not ok|ok)\b(?:\s+\d+)?(?:\s+-)?(?:\s+(.*))?$/;
const SUBTEST = /^# Subtest: (.*)$/;
/** An unescaped `# SKIP` or `# TODO` directive, case-insensitive, with an optional reason. */
const DIRECTIVE = /(?<!\\)#\s*(SKIP|TODO)\S*(?:\s.*)?$/i;

/**
 * Parses TAP (Mocha's `tap` reporter, `node --test`, tape). A nested test point is named by its parents'
 * `# Subtest:` names and its own, joined by ` > `. `# SKIP` is a skip; `# TODO` is an expected failure when
 * `not ok` and a skip when `ok`. YAML diagnostic blocks are not read.
 */
export function parseTapLog(log: string): StatusMap {
  const map: StatusMap = new Map();
  const parents = new IndentPath();
  let inYaml = false;
  let afterPoint = false;
  for (const line of logLines(log)) {
    const text = line.trim();
    if (inYaml) {
      if (text === "...") inYaml = false;
      continue;
    }
    if (text === "---" && afterPoint) {
      inYaml = true;
      continue;
    }
    afterPoint = false;
    const indent = line.length - line.trimStart().length;
    const subtest = SUBTEST.exec(text);
    if (subtest) {
      parents.at(indent);
      parents.open(indent, (subtest[1] as string).trim());
      continue;
    }
    const point = TEST_POINT.exec(text);
    if (!point) continue;
    const enclosing = parents.at(indent);
    const { description, status } = outcome(point[1] === "ok", point[2] ?? "");
    const name = [...enclosing, description].join(" > ");
    if (name) recordWorstStatus(map, name, status);
    afterPoint = true;
  }
  return map;
}

function outcome(ok: boolean, text: string): { description: string; status: TestStatus } {
  const directive = DIRECTIVE.exec(text);
  const description = (directive ? text.slice(0, directive.index) : text).trim().replace(/\\#/g, "#");
  const kind = directive?.[1]?.toUpperCase();
  if (kind === "SKIP") return { description, status: "SKIPPED" };
  if (kind === "TODO") return { description, status: ok ? "SKIPPED" : "XFAIL" };
  return { description, status: ok ? "PASSED" : "FAILED" };
}
