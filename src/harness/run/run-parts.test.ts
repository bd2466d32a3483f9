import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execScript } from "./exec-script.js";
import { interpreterMounts } from "./interpreter.js";
import { parseSetupChanges } from "./setup-changes.js";

describe("parseSetupChanges", () => {
  it("keeps ignored and untracked folders whole and modified files, and lists deletions apart", () => {
    const status = [
      "!! node_modules/",
      "?? package-lock.json",
      " M package.json",
      " D docs/old.md",
      "R  new name.js",
      "old name.js",
      "",
    ].join("\0");
    expect(parseSetupChanges(status)).toEqual({
      changed: ["node_modules", "package-lock.json", "package.json", "new name.js"],
      deleted: ["docs/old.md"],
    });
    expect(parseSetupChanges("")).toEqual({ changed: [], deleted: [] });
  });
});

describe("execScript", () => {
  it("exports the environment inside a subshell and sends all output to the file", () => {
    const script = execScript("bin/test -C", {
      cwd: "/testbed",
      outputFile: "/tmp/out 1.log",
      env: { PYTHONWARNINGS: "ignore::UserWarning,ignore::SyntaxWarning", X: "it's" },
    });
    expect(script).toBe(
      "cd /testbed && (\nexport PYTHONWARNINGS=ignore::UserWarning,ignore::SyntaxWarning\n" +
        "export X='it'\\''s'\nbin/test -C\n) > '/tmp/out 1.log' 2>&1",
    );
  });

  it("refuses a variable name the shell would run as code", () => {
    expect(() => execScript("true", { cwd: "/", outputFile: "/o", env: { "A;rm -rf /": "1" } })).toThrow(
      /Environment variable name 'A;rm -rf \/'/,
    );
  });
});

describe("interpreterMounts", () => {
  it("needs nothing for Debian's python or a bare name, and the prefix of one installed elsewhere", () => {
    expect(interpreterMounts("/usr/bin/python3")).toEqual([]);
    expect(interpreterMounts("python3")).toEqual([]);
    const venv = mkdtempSync(join(tmpdir(), "swe-review-venv-"));
    expect(interpreterMounts(join(venv, "bin", "python"))).toEqual([venv]);
    expect(interpreterMounts("/nonexistent-prefix/venv/bin/python")).toEqual([]);
  });
});
