import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import {
  type DocBlock,
  type DocFolder,
  extractDocBlocks,
  openDocFolder,
  runDocBlock,
} from "../helpers/doc-blocks.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipReasons, skipTitle, unless } from "../helpers/skip.js";

// Issue 18's promise, step by step: on a machine without a GPU or a model, a newcomer who follows only the README
// clones swe-review, installs it as its Install section says, runs the README's quickstarts with the `swe-review`
// that install put on PATH, and calls `runReview` from a script as docs/library.md (the README's library link)
// shows. Every step runs the documentation's own text, offline: the install block (with this repository's HEAD in
// place of `<this repository>`) runs without network, its packages coming from npm's cache.

const REPO = join(CLI, "..", "..");

function blocksOf(file: string): DocBlock[] {
  return extractDocBlocks(file, readFileSync(join(REPO, file), "utf8"));
}

const INSTALL = blocksOf("README.md").find((block) => block.code.includes("git clone <this repository>"));
const QUICKSTARTS = blocksOf("README.md").filter((block) => block.marker?.kind === "run");
const LIBRARY = blocksOf("docs/library.md").find((block) => block.code.includes("runReview("));

function npmCache(): string | undefined {
  try {
    return execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const NPM_CACHE = npmCache();
const CACHED_DEPENDENCIES = NPM_CACHE && existsSync(join(NPM_CACHE, "_cacache"));

const SKIP = skipReasons(
  NO_BWRAP,
  unless(CACHED_DEPENDENCIES, "npm's cache holds no packages (run `npm ci` in this repository once, online)"),
);

describe.skipIf(SKIP)(skipTitle("a newcomer following only the README, from a clean clone", SKIP), () => {
  const folders: DocFolder[] = [];
  afterAll(() => {
    // The folders hold a full install (node_modules); leave nothing behind.
    for (const folder of folders) rmSync(join(folder.work, ".."), { recursive: true, force: true });
  });

  let installed: { clone: string; bin: string } | undefined;

  it("installs with the README's Install block, offline, and gets `swe-review` on PATH", async () => {
    expect(INSTALL, "README.md has an install block with `git clone <this repository>`").toBeDefined();
    expect(INSTALL?.marker).toEqual({ kind: "skip", reason: expect.stringContaining("readme-clean-clone") });
    const folder = openDocFolder(REPO);
    folders.push(folder);
    const prefix = join(folder.work, "..", "npm-global");
    mkdirSync(prefix);
    const block = { ...(INSTALL as DocBlock) };
    block.code = block.code.replace("<this repository>", REPO);
    const run = await runDocBlock(
      block,
      {
        work: folder.work,
        env: {
          ...folder.env,
          // `npm link` puts the command in this prefix's bin, first on PATH; no network: packages from the cache.
          PATH: `${join(prefix, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
          npm_config_prefix: prefix,
          npm_config_cache: NPM_CACHE,
          npm_config_offline: "true",
          npm_config_audit: "false",
          npm_config_fund: "false",
          npm_config_update_notifier: "false",
        },
      },
      600_000,
    );
    expect(run.report).toBe("");
    expect(run.tail).toContain("mock-server [options]");
    // The command npm link put on PATH is this clone's build.
    const bin = join(prefix, "bin");
    const version = execFileSync(join(bin, "swe-review"), ["--version"], { encoding: "utf8" }).trim();
    expect(version).toBe(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version);
    installed = { clone: join(folder.work, "swe-review"), bin };
  }, 660_000);

  describe.sequential("then, with what that install built", () => {
    let folder: DocFolder | undefined;
    const open = (): DocFolder => {
      if (!installed) throw new Error("not run: the install step failed");
      if (!folder) {
        // The blocks' `swe-review` is the installed one (npm link's bin first on PATH); scripts import the clone.
        const opened = openDocFolder(installed.clone);
        folder = { ...opened, env: { ...opened.env, PATH: `${installed.bin}:${opened.env.PATH}` } };
        folders.push(folder);
      }
      return folder;
    };

    it("the README's runnable blocks (doctor and the three quickstarts) run", async () => {
      expect(QUICKSTARTS.length).toBeGreaterThanOrEqual(4);
      for (const block of QUICKSTARTS) {
        const run = await runDocBlock(block, open(), 120_000);
        expect(run.report).toBe("");
      }
    }, 600_000);

    it("a script calls runReview as docs/library.md shows", async () => {
      expect(LIBRARY, "docs/library.md has a block calling runReview").toBeDefined();
      const run = await runDocBlock(LIBRARY as DocBlock, open(), 120_000);
      expect(run.report).toBe("");
      expect(run.tail).toContain("approve");
    }, 150_000);
  });
});
