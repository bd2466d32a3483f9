import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import {
  type DocBlock,
  type DocFolder,
  extractDocBlocks,
  openDocFolder,
  runDocBlock,
  unmarkedBlocks,
} from "../helpers/doc-blocks.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipReasons, skipTitle, unless } from "../helpers/skip.js";

// Every fenced block of README.md and docs/**/*.md is run here or marked as not runnable (the convention is on
// test/helpers/doc-blocks.ts). The `run` blocks run against the built CLI (`npm run build` first; npm test does).

const REPO = join(CLI, "..", "..");

function markdownFiles(): string[] {
  const docs = join(REPO, "docs");
  const inDocs = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: "utf8" })
        .filter((name) => name.endsWith(".md"))
        .map((name) => join(docs, name))
    : [];
  return [join(REPO, "README.md"), ...inDocs.sort()];
}

interface DocFile {
  name: string;
  text: string;
  blocks: DocBlock[];
  /** Why the file breaks the convention (an unknown marker, …); its blocks are then empty. */
  error?: string;
}

const FILES: DocFile[] = markdownFiles().map((path) => {
  const name = relative(REPO, path);
  const text = readFileSync(path, "utf8");
  try {
    return { name, text, blocks: extractDocBlocks(name, text) };
  } catch (error) {
    return { name, text, blocks: [], error: (error as Error).message };
  }
});

describe("documentation blocks", () => {
  it("have only known doc-test markers, each right before a fence", () => {
    expect(FILES.flatMap((file) => (file.error ? [file.error] : []))).toEqual([]);
  });

  it("are each marked run or skip", () => {
    expect(FILES.flatMap((file) => unmarkedBlocks(file.blocks))).toEqual([]);
  });
});

const RUNNABLE = FILES.map((file) => ({
  ...file,
  runs: file.blocks.filter((block) => block.marker?.kind === "run"),
})).filter((file) => file.runs.length > 0);

const NO_RUNS = skipReasons(
  NO_BWRAP,
  unless(RUNNABLE.length > 0, "no documentation block is marked run yet"),
);
const RUN_TITLE = skipTitle("documentation run blocks", NO_RUNS);

// A group without tests is an error in vitest: with nothing to run, only the skip line above is written.
if (!NO_RUNS) {
  describe(RUN_TITLE, () => {
    for (const file of RUNNABLE) {
      // One folder per file, its blocks in order: a quickstart may continue from the files a previous block wrote.
      describe.sequential(file.name, () => {
        let folder: DocFolder | undefined;
        let failed: string | undefined;
        for (const block of file.runs) {
          it(`${block.file}:${block.line} runs`, async () => {
            if (!existsSync(CLI))
              throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
            if (failed) throw new Error(`not run: an earlier block of ${file.name} failed (${failed})`);
            folder ??= openDocFolder(REPO);
            const run = await runDocBlock(block, folder, 120_000);
            if (!run.ok) failed = `${block.file}:${block.line}`;
            expect(run.report).toBe("");
          }, 150_000);
        }
      });
    }
  });
}
