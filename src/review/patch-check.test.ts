import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TempRepo } from "../../test/helpers/git-repo.js";
import { hostCheckoutRunner } from "../agent-place/patch-check-runner.js";
import { InputError } from "../common/errors.js";
import { GIT_ENV } from "../workspace/git.js";
import { gitOverCheckout } from "../workspace/isolated-git.js";
import { RepoCache } from "../workspace/repo-cache.js";
import { resolveRepoSource } from "../workspace/repo-source.js";
import { Workspace } from "../workspace/workspace.js";
import { precheckPatch, readPatchText } from "./patch-check.js";

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

describe("the patch check over a host checkout", () => {
  it("runs nothing the checkout's .git names (a filter a setup planted), and tells a patch that applies from one that does not", async () => {
    const repo = new TempRepo();
    const base = repo.commit("base", { "a.txt": "a\n" });
    const root = mkdtempSync(join(tmpdir(), "swe-review-precheck-"));
    const ws = await Workspace.create({
      source: resolveRepoSource(repo.dir),
      base,
      cache: new RepoCache(join(root, "cache")),
      root: join(root, "ws"),
    });
    const marker = join(root, "filter-ran");
    // What a setup's commands can leave, running as the user the checkout belongs to.
    appendFileSync(
      join(ws.testbed, ".git", "config"),
      `[filter "x"]\n\tclean = "touch ${marker}; cat"\n\tsmudge = "touch ${marker}; cat"\n`,
    );
    writeFileSync(join(ws.testbed, ".git", "info", "attributes"), "* filter=x\n");
    writeFileSync(join(ws.testbed, ".gitattributes"), "* filter=x\n");
    const patch = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n";
    // Git in the checkout runs the filter on the file it checks.
    execFileSync("git", ["apply", "--check", "-"], {
      cwd: ws.testbed,
      input: patch,
      env: { PATH: process.env.PATH ?? "", ...GIT_ENV },
    });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    expect(await precheckPatch(patch, hostCheckoutRunner(ws))).toBeUndefined();
    const other = patch.replace("-a\n", "-z\n");
    expect(await precheckPatch(other, hostCheckoutRunner(ws))).toMatchObject({
      decision: "request_changes",
      source: "precheck",
    });
    await gitOverCheckout(ws, ["apply", "--whitespace=nowarn", "-"], patch);
    expect(readFileSync(join(ws.testbed, "a.txt"), "utf8")).toBe("b\n");
    expect(existsSync(marker)).toBe(false);
    await ws.dispose();
  });
});
