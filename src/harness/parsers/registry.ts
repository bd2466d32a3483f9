import { z } from "zod";
import { InputError } from "../../common/errors.js";
import { parseDjangoLog } from "./django.js";
import { parseJestLog } from "./jest.js";
import { parseMochaSpecLog } from "./mocha.js";
import { parsePytestLog } from "./pytest.js";
import type { StatusMap } from "./status.js";
import { parseSympyLog } from "./sympy.js";
import { parseTapLog } from "./tap.js";
import { parseVitestLog } from "./vitest.js";

/** A log parser: the text a test command printed → the status of every test it names. */
export type LogParser = (log: string) => StatusMap;

/** Every parser by the name test specs and `.swe-review.yaml` use. */
export const LOG_PARSERS = {
  /** pytest `-rA` (and `-v`) output; parametrized ids kept whole. */
  pytest: (log) => parsePytestLog(log),
  /** pytest, with absolute-path parameters shortened to their last component (requests, pylint, pydicom). */
  "pytest-short-paths": (log) => parsePytestLog(log, { shortenPathParams: true }),
  /** pytest, with `MouseButton.LEFT`/`RIGHT` in ids written `1`/`3` as SWE-bench's matplotlib lists do. */
  "pytest-matplotlib": (log) =>
    parsePytestLog(log, {
      replacements: [
        ["MouseButton.LEFT", "1"],
        ["MouseButton.RIGHT", "3"],
      ],
    }),
  /** sympy `bin/test -C --verbose`. */
  sympy: parseSympyLog,
  /** Django `tests/runtests.py --verbosity 2`. */
  django: parseDjangoLog,
  /** Jest, default or `--verbose`; names as Multi-SWE-bench writes them. */
  jest: parseJestLog,
  /** Mocha's `spec` reporter. */
  mocha: parseMochaSpecLog,
  /** TAP: Mocha's `tap` reporter, `node --test`, tape. */
  tap: parseTapLog,
  /** Vitest 2 and later, default or verbose reporter. */
  vitest: parseVitestLog,
} satisfies Record<string, LogParser>;

/** The name of a built-in test-log parser (a test spec's `parser`), e.g. `pytest`, `jest`, `vitest`. */
export type ParserName = keyof typeof LOG_PARSERS;
export const PARSER_NAMES = Object.keys(LOG_PARSERS) as ParserName[];
export const ParserNameSchema = z.enum(PARSER_NAMES as [ParserName, ...ParserName[]]);

export function isParserName(name: string): name is ParserName {
  return Object.hasOwn(LOG_PARSERS, name);
}

/** The parser called `name`; an `InputError` listing the known names when there is none. */
export function logParser(name: string, source = "the parser name"): LogParser {
  if (!isParserName(name)) {
    throw new InputError(
      "unknown_parser",
      `Unknown log parser '${name}' (${source}). Use one of: ${PARSER_NAMES.join(", ")}.`,
    );
  }
  return LOG_PARSERS[name];
}
