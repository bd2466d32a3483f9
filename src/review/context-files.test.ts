import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { preChangeContext } from "./context-files.js";

const edit = (path: string) =>
  `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-x\n+y\n`;

describe("preChangeContext", () => {
  it("shows the checkout's own files only: no link (to a file or through a folder) is followed, no FIFO read", () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-context-"));
    const secrets = join(root, "host");
    mkdirSync(secrets);
    writeFileSync(join(secrets, "id_ed25519"), "PRIVATE KEY\n");
    const checkout = join(root, "checkout");
    mkdirSync(checkout);
    writeFileSync(join(checkout, "a.py"), "x\n");
    // What a repository can commit, or its setup leave.
    symlinkSync(join(secrets, "id_ed25519"), join(checkout, "link.py"));
    symlinkSync(secrets, join(checkout, "keys"));
    execFileSync("mkfifo", [join(checkout, "pipe.py")]);
    const patch = [edit("a.py"), edit("link.py"), edit("keys/id_ed25519"), edit("pipe.py")].join("");
    const context = preChangeContext(patch, checkout);
    expect(context).toContain("### a.py");
    expect(context).not.toContain("PRIVATE KEY");
    expect(context).not.toContain("pipe.py");
  });
});
