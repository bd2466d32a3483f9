import { describe, expect, it } from "vitest";
import type { LogParser } from "../../src/harness/parsers/registry.js";
import type { TestStatus } from "../../src/harness/parsers/status.js";

/** A log a parser reads, line by line, and the status it must give every test it names (and no other test). */
export interface LogParserCase {
  log: string[];
  statuses: Record<string, TestStatus>;
}

/**
 * The log parsers' tests as tables: under `describe(name)`, one test per case, titled by its key, in which `parse`
 * reads the case's lines joined with newlines and gives exactly its statuses.
 */
export function describeLogParser(
  name: string,
  parse: LogParser,
  cases: Record<string, LogParserCase>,
): void {
  describe(name, () => {
    it.each(Object.entries(cases))("%s", (_title, { log, statuses }) => {
      expect(Object.fromEntries(parse(log.join("\n")))).toEqual(statuses);
    });
  });
}
