import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { publicApiDocs } from "./helpers/public-api-docs.js";

/**
 * Every name the library exports (`swe-review` and `swe-review/testing`) carries a doc comment on its declaration:
 * what it is and, for requests, options and results, the contract a caller relies on. A new export without one
 * fails here, named with the file to add it in.
 */

const ROOT = join(import.meta.dirname, "..");

describe("public API docs", () => {
  const { total, undocumented } = publicApiDocs(ROOT);

  it("reads the exports of both entry points", () => {
    // A bound against the walk silently finding nothing (and so passing).
    expect(total).toBeGreaterThan(250);
  });

  it("documents every exported name", () => {
    expect(undocumented.map(({ name, file }) => `${name} (${file}) has no doc comment`)).toEqual([]);
  });
});
