import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  DocMarkerError,
  extractDocBlocks,
  openDocFolder,
  runDocBlock,
  unmarkedBlocks,
} from "./doc-blocks.js";
import { hostProcessesMatching, NO_BWRAP } from "./sandbox.js";
import { skipTitle } from "./skip.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const FIXTURE = [
  "# Guide",
  "<!-- doc-test: run -->",
  "```bash",
  "echo one > first.txt",
  "```",
  "",
  "<!-- doc-test: skip (needs a GPU) -->",
  "```sh",
  "vllm serve big-model",
  "```",
  "",
  "```ts",
  "const unmarked = 1;",
  "```",
  "- a list item:",
  "  <!-- doc-test: run -->",
  "  ~~~",
  "  cat first.txt",
  "  ```not a close",
  "  ~~~",
].join("\n");

describe("doc blocks: markers", () => {
  it("extracts each block with its line, language, marker and code", () => {
    const blocks = extractDocBlocks("guide.md", FIXTURE);
    expect(blocks).toEqual([
      { file: "guide.md", line: 3, language: "bash", code: "echo one > first.txt", marker: { kind: "run" } },
      {
        file: "guide.md",
        line: 8,
        language: "sh",
        code: "vllm serve big-model",
        marker: { kind: "skip", reason: "needs a GPU" },
      },
      { file: "guide.md", line: 12, language: "ts", code: "const unmarked = 1;" },
      {
        file: "guide.md",
        line: 17,
        language: "",
        code: "cat first.txt\n```not a close",
        marker: { kind: "run" },
      },
    ]);
    expect(unmarkedBlocks(blocks)).toEqual(["guide.md:12"]);
  });

  it.each([
    [
      "an unknown marker",
      "<!-- doc-test: maybe -->\n```bash\nx\n```",
      /guide.md:1: unknown doc-test marker "maybe"/,
    ],
    ["a skip without a reason", "<!-- doc-test: skip () -->\n```bash\nx\n```", /guide.md:1: unknown/],
    [
      "a marker before a blank line",
      "<!-- doc-test: run -->\n\n```bash\nx\n```",
      /guide.md:1: .*right before a fence/,
    ],
    ["a marker at the end", "text\n<!-- doc-test: run -->", /guide.md:2: .*right before a fence/],
    [
      "a run block that is not shell",
      "<!-- doc-test: run -->\n```ts\nx\n```",
      /guide.md:2: .*must be bash, not "ts"/,
    ],
  ])("rejects %s with its file:line", (_name, text, message) => {
    expect(() => extractDocBlocks("guide.md", text)).toThrow(DocMarkerError);
    expect(() => extractDocBlocks("guide.md", text)).toThrow(message);
  });
});

describe.skipIf(NO_BWRAP)(skipTitle("doc blocks: running", NO_BWRAP), () => {
  it("runs a file's blocks in order in one folder, with the CLI and the package by name, and HOME inside the folder", async () => {
    process.env.OPENAI_API_KEY = "sk-doc-block-must-not-see";
    const folder = openDocFolder(REPO);
    delete process.env.OPENAI_API_KEY;
    const [first, second] = extractDocBlocks(
      "guide.md",
      [
        "<!-- doc-test: run -->",
        "```bash",
        'echo "$HOME" > home.txt',
        "command -v swe-review > shim.txt",
        "```",
        "<!-- doc-test: run -->",
        "```bash",
        'test "$(cat home.txt)" = "$HOME"',
        'test "$(dirname "$HOME")" = "$(dirname "$TMPDIR")" && test "$(dirname "$PWD")" = "$(dirname "$HOME")"',
        'test -z "$(printenv OPENAI_API_KEY || true)"',
        "cat shim.txt",
        // A script the block writes imports the package by name (its package.json `exports`: dist/, built).
        `echo 'import * as api from "swe-review"; console.log("exports", Object.keys(api).length > 0);' > use.mjs`,
        "node use.mjs",
        "```",
      ].join("\n"),
    );
    if (!first || !second) throw new Error("two blocks expected");
    expect((await runDocBlock(first, folder)).report).toBe("");
    const run = await runDocBlock(second, folder);
    expect(run.report).toBe("");
    expect(run.tail).toMatch(/swe-review-doc-.*\/bin\/swe-review\nexports true\n/);
  });

  it("reports a failing block's file:line and output tail, and has no network but 127.0.0.1", async () => {
    const folder = openDocFolder(REPO);
    const [block] = extractDocBlocks(
      "docs/guide.md",
      [
        "intro",
        "<!-- doc-test: run -->",
        "```bash",
        'node -e "require(\\"node:net\\").createServer().listen(0, \\"127.0.0.1\\", function () { console.log(\\"listening\\"); this.close(); })"',
        "echo before the failure",
        // The network interfaces the block sees: only loopback in its own namespace.
        "echo interfaces: $(awk 'NR > 2 { print $1 }' /proc/net/dev)",
        "false",
        "echo never",
        "```",
      ].join("\n"),
    );
    if (!block) throw new Error("one block expected");
    const run = await runDocBlock(block, folder);
    expect(run.ok).toBe(false);
    expect(run.code).toBe(1);
    expect(run.report).toMatch(/^docs\/guide.md:3: the doc block exited 1; its output ends:\n/);
    expect(run.tail).toContain("listening");
    expect(run.tail).toContain("before the failure");
    expect(run.tail).toContain("interfaces: lo:\n");
    expect(run.tail).not.toContain("never");
  });

  it("kills a block at its time limit, with the processes it started", async () => {
    const folder = openDocFolder(REPO);
    const [block] = extractDocBlocks(
      "guide.md",
      "<!-- doc-test: run -->\n```bash\nsleep 31.25 &\nsleep 30\n```",
    );
    if (!block) throw new Error("one block expected");
    const started = Date.now();
    const run = await runDocBlock(block, folder, 1_000);
    expect(run.timedOut).toBe(true);
    expect(run.report).toMatch(/^guide.md:2: the doc block timed out after 1 s/);
    expect(Date.now() - started).toBeLessThan(10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hostProcessesMatching("sleep 31.25")).toEqual([]);
  });
});
