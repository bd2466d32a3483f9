import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execScript } from "../../workspace/sandbox/exec-script.js";
import { parseSetupChanges } from "../../workspace/setup/setup-changes.js";
import { changedBetween } from "./checkout-changes.js";
import { checkoutPath, parseGitPaths, shellWord } from "./git-paths.js";
import { interpreterMounts } from "./interpreter.js";

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
      created: ["node_modules", "package-lock.json"],
    });
    expect(parseSetupChanges("")).toEqual({ changed: [], deleted: [], created: [] });
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

  it("without a file, sends everything to its own stdout (read through a pipe), stderr included", () => {
    const script = execScript("echo out; echo err >&2; exit 3", { cwd: "/", env: { X: "1" } });
    expect(script).toBe("exec 2>&1\ncd / && (\nexport X=1\necho out; echo err >&2; exit 3\n)");
    let output = "";
    try {
      execFileSync("bash", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    } catch (error) {
      output = (error as { stdout: string; status: number }).stdout;
      expect((error as { status: number }).status).toBe(3);
    }
    expect(output).toBe("out\nerr\n");
  });

  it("refuses a variable name the shell would run as code", () => {
    expect(() => execScript("true", { cwd: "/", outputFile: "/o", env: { "A;rm -rf /": "1" } })).toThrow(
      /Environment variable name 'A;rm -rf \/'/,
    );
  });
});

describe("checkout paths", () => {
  it("reads any file name git prints quoted and hands the same bytes back to the shell", () => {
    const dir = mkdtempSync(join(tmpdir(), "swe-review-paths-"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "core.quotePath=true", ...args], { cwd: dir, encoding: "utf8" });
    git("init", "--quiet");
    const names = ["plain/conftest.py", "with space/conftest.py", 'q"uote\\/x', "new\nline/conftest.py"];
    const odd = Buffer.concat([Buffer.from("bad"), Buffer.from([0xff, 0xfe]), Buffer.from("/conftest.py")]);
    for (const name of names) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), "x");
    }
    execFileSync("bash", ["-c", `mkdir -p $'bad\\377\\376' && echo x > $'bad\\377\\376/conftest.py'`], {
      cwd: dir,
    });
    const listed = parseGitPaths(git("ls-files", "--others"));
    expect(listed.map((path) => path.text)).toEqual(expect.arrayContaining(names));
    expect(listed).toHaveLength(names.length + 1);
    const bad = listed.find((path) => path.bytes.equals(odd));
    expect(bad?.text).toBe("bad\ufffd\ufffd/conftest.py");
    // Every name, odd bytes included, reaches the file it names.
    const words = listed.map(shellWord).join(" ");
    const found = execFileSync("bash", ["-c", `for p in ${words}; do [ -f "$p" ] && printf 1; done`], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(found).toBe("1".repeat(listed.length));
  });

  it("tells what changed between two looks at the working tree", () => {
    const before = { untracked: [checkoutPath("node_modules/x.js")], changed: [checkoutPath("setup.py")] };
    const after = {
      untracked: [checkoutPath("node_modules/x.js"), checkoutPath("conftest.py")],
      changed: [checkoutPath("setup.py"), checkoutPath("tox.ini")],
    };
    expect(changedBetween(before, after).map((path) => path.text)).toEqual(["conftest.py", "tox.ini"]);
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
