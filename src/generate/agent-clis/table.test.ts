import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AGENT_CLIS } from "./table.js";

/** The README's table of ready-made agents, between its markers. */
function readmeTable(): string {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const start = readme.indexOf("<!-- agents-table");
  const end = readme.indexOf("<!-- /agents-table -->");
  return start >= 0 && end > start ? readme.slice(start, end) : "";
}

describe("the README's table of ready-made agents", () => {
  it("has one row per agent, with its package, the version tested, its credentials and what is accounted", () => {
    const rows = readmeTable()
      .split("\n")
      .filter((line) => line.startsWith("| `") && !line.startsWith("| `--generator`"));
    expect(rows.map((row) => row.match(/^\| `([^`]+)`/)?.[1])).toEqual(Object.keys(AGENT_CLIS));
    for (const [name, cli] of Object.entries(AGENT_CLIS)) {
      const row = rows.find((line) => line.startsWith(`| \`${name}\``)) ?? "";
      expect(row, name).toContain(`\`${cli.npmPackage}\` (${cli.testedVersion})`);
      for (const variable of [...cli.credentialEnv, ...(cli.optionalEnv ?? [])])
        expect(row, name).toContain(variable);
      expect(row, name).toContain(cli.accounts);
    }
  });
});
