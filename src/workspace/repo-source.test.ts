import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { datasetRepoSource } from "./repo-source.js";

describe("a dataset row's repository", () => {
  it("comes from GitHub or a --repo clone, never a folder or server the row names", () => {
    const cwd = mkdtempSync(join(tmpdir(), "swe-review-repo-source-"));
    mkdirSync(join(cwd, "private", "repo"), { recursive: true });
    const before = process.cwd();
    process.chdir(cwd); // "private/repo" exists here: a row naming it must still not be this folder
    try {
      expect(datasetRepoSource("private/repo")).toEqual({
        kind: "url",
        url: "https://github.com/private/repo.git",
      });
      expect(datasetRepoSource("sympy/sympy", new Map([["sympy/sympy", cwd]]))).toMatchObject({
        kind: "path",
        path: cwd,
      });
      for (const hostile of ["~/secret", "./x", "../x", "git@127.0.0.1:o/n", "x/..", "/etc/ssh", "a/b/c"]) {
        expect(() => datasetRepoSource(hostile), hostile).toThrowError(/not owner\/name.*--repo/);
      }
    } finally {
      process.chdir(before);
    }
  });
});
