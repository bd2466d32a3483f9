import { describe, expect, it } from "vitest";
import { InputError } from "../common/errors.js";
import { readPatchText } from "./patch-check.js";

describe("readPatchText", () => {
  it("takes UTF-8 text, multibyte characters included", () => {
    const patch = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-name = 'Zoe'\n+name = 'Zoë ✓'\n";
    expect(readPatchText(Buffer.from(patch, "utf8"), "fix.patch")).toBe(patch);
  });

  it("refuses binary data and text that is not UTF-8, naming the patch and the fix", () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from("+a\0b\n"), /The patch fix\.patch contains binary data.*Leave binary files out/],
      [Buffer.from("diff --git a/i.png b/i.png\nGIT binary patch\nliteral 5\n"), /contains binary data/],
      // Latin-1 "é" without any NUL byte: not UTF-8
      [
        Buffer.from([0x2b, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
        /fix\.patch is not valid UTF-8 text\. Save it as UTF-8/,
      ],
    ];
    for (const [bytes, message] of cases) {
      expect(() => readPatchText(bytes, "fix.patch")).toThrowError(InputError);
      expect(() => readPatchText(bytes, "fix.patch")).toThrowError(message);
    }
  });
});
