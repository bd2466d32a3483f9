import { describe, expect, it } from "vitest";
import { SYMPTOM_PATCH } from "../../test/helpers/review-fixture.js";
import type { Defect } from "../review/report.js";
import { diffFiles, withoutBinaryFiles } from "./diff-lines.js";
import { linkedIssueRefs } from "./linked-issues.js";
import { placeDefects } from "./placement.js";

const BINARY_SECTION = `diff --git a/docs/logo.png b/docs/logo.png
index 3333333..4444444 100644
Binary files a/docs/logo.png and b/docs/logo.png differ
`;

// The symptom fix's diff, a second hunk further down the same file, a binary file, and a folder called b.
const DIFF = `${SYMPTOM_PATCH}@@ -40,3 +46,4 @@ def summary(items):
     lines = []
     return lines
+# end
 
${BINARY_SECTION}diff --git a/b/notes.txt b/b/notes.txt
new file mode 100644
--- /dev/null
+++ b/b/notes.txt
@@ -0,0 +1,2 @@
+first
+second
`;

function defect(path: string | null, start: number | null, end: number | null = null): Defect {
  return {
    severity: "high",
    category: "correctness",
    location: path === null ? null : { path, start_line: start, end_line: end },
    description: "d",
    suggestion: "",
  };
}

describe("lines a review comment can be placed on", () => {
  it("reads each hunk's new-file and old-file lines", () => {
    const [report, logo, notes] = diffFiles(DIFF);
    expect(report?.path).toBe("inventory/report.py");
    expect([...(report?.hunks[0]?.right ?? [])]).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect([...(report?.hunks[0]?.left ?? [])]).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect([...(report?.hunks[1]?.right ?? [])]).toEqual([46, 47, 48, 49]);
    expect(logo).toMatchObject({ path: "docs/logo.png", binary: true, hunks: [] });
    expect(notes?.path).toBe("b/notes.txt");
  });

  it("places defects on the changed file's lines, over a range within one hunk, and leaves the rest for the body", () => {
    const placed = placeDefects(
      [
        defect("inventory/report.py", 7, 10), // inside the first hunk: a range comment
        defect("/testbed/inventory/report.py", 5), // the sandbox's path, one line
        defect("inventory/report.py", 12, 30), // runs past the hunk: the shown part (12-14)
        defect("inventory/report.py", 20, 25), // between the hunks
        defect("inventory/units.py", 1), // a file the diff does not touch
        defect("docs/logo.png", 1), // binary
        defect("b/notes.txt", 2), // a folder really called b
        defect(null, null),
        defect("inventory/report.py", null),
      ],
      diffFiles(DIFF),
    );
    expect(placed.map((item) => item.anchor ?? null)).toEqual([
      { path: "inventory/report.py", start_line: 7, start_side: "RIGHT", line: 10, side: "RIGHT" },
      { path: "inventory/report.py", line: 5, side: "RIGHT" },
      { path: "inventory/report.py", start_line: 12, start_side: "RIGHT", line: 14, side: "RIGHT" },
      null,
      null,
      null,
      { path: "b/notes.txt", line: 2, side: "RIGHT" },
      null,
      null,
    ]);
  });

  it("drops binary files from the diff to review, and names them", () => {
    const { diff, binary } = withoutBinaryFiles(DIFF);
    expect(binary).toEqual(["docs/logo.png"]);
    expect(diff).not.toContain("logo.png");
    expect(diffFiles(diff).map((file) => file.path)).toEqual(["inventory/report.py", "b/notes.txt"]);
  });
});

describe("issues a pull request links", () => {
  it("reads GitHub's closing keywords with #N, owner/repo#N and issue URLs, once each", () => {
    const text = `Fixes #12. Also closes octo-org/other#3, resolved: https://github.example.com/octo-org/widgets/issues/4
and FIXES #12 again; mentions #99 without a keyword; prefix#7 is not one.`;
    expect(linkedIssueRefs(text, { owner: "octo-org", repo: "widgets" })).toEqual([
      { owner: "octo-org", repo: "widgets", number: 12 },
      { owner: "octo-org", repo: "other", number: 3 },
      { owner: "octo-org", repo: "widgets", number: 4 },
    ]);
  });
});
