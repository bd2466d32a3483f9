import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { singleTurnMessage } from "./single-turn-role.js";

describe("single-turn review messages", () => {
  const checkout = mkdtempSync(join(tmpdir(), "swe-review-st-"));
  writeFileSync(join(checkout, "small.py"), "a = 1\nb = 2\n");
  writeFileSync(
    join(checkout, "big.py"),
    Array.from({ length: 1000 }, (_, i) => `line_${i + 1} = ${i + 1}`).join("\n"),
  );
  const patch = [
    "diff --git a/small.py b/small.py",
    "--- a/small.py",
    "+++ b/small.py",
    "@@ -1,2 +1,2 @@",
    "-a = 1",
    "+a = 10",
    " b = 2",
    "diff --git a/big.py b/big.py",
    "--- a/big.py",
    "+++ b/big.py",
    "@@ -600,1 +600,1 @@",
    "-line_600 = 600",
    "+line_600 = 0",
    "diff --git a/new.py b/new.py",
    "new file mode 100644",
    "--- /dev/null",
    "+++ b/new.py",
    "@@ -0,0 +1 @@",
    "+x = 1",
    "",
  ].join("\n");

  it("lays out issue, diff and PR fields like the released baseline", () => {
    expect(
      singleTurnMessage({
        mode: "single-turn-diff",
        issue: "It breaks.",
        patch,
        prTitle: "fix",
        prBody: "",
        checkout,
      }),
    ).toBe(
      `## Issue\n\nIt breaks.\n\n## Candidate Patch\n\n\`\`\`diff\n${patch}\n\`\`\`\n\n## PR Title\n\nfix`,
    );
  });

  it("adds whole short files and 100 lines around each hunk of long ones in context mode", () => {
    const message = singleTurnMessage({ mode: "single-turn-context", issue: "x", patch, checkout });
    expect(message).toContain("## Full source files affected by the patch (pre-change versions)");
    expect(message).toContain("### small.py\n\n```\na = 1\nb = 2\n```");
    expect(message).toContain("### big.py (1000 lines; excerpts around the changed lines)");
    expect(message).toContain("   550  line_550 = 550");
    expect(message).toContain("   651  line_651 = 651");
    expect(message).not.toContain("line_549 = 549");
    expect(message).not.toContain("line_652 = 652");
    expect(message).not.toContain("### new.py");
  });
});
