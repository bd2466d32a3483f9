/**
 * Runnable documentation: the fenced code blocks of README.md and docs/**\/*.md, each run by a test or marked as
 * not runnable here.
 *
 * The convention. On the line right before a block's opening fence, one marker:
 *
 *   <!-- doc-test: run -->                 the block is a bash script; the doc-block test runs it as-is
 *   <!-- doc-test: skip (needs a GPU) -->  the block is not run; the reason (non-empty) says why
 *
 * Any other `<!-- doc-test: … -->` text, or a marker not followed by a fence, is an error naming its file:line. A
 * `run` block must be a shell block (```bash, ```sh, ```shell or a bare ```).
 *
 * How `run` blocks run (`runDocBlock`):
 * - with bash (`set -euo pipefail`), in the folder of the block's file (`openDocFolder`): the blocks of one file run
 *   in order in the same folder, so a quickstart can continue from the files a previous block wrote. Processes do
 *   not carry over: a server a block starts (e.g. `swe-review mock-server … &`) ends with that block;
 * - `swe-review` on PATH runs the built CLI (`node <repo>/dist/cli.js`), and `import … from "swe-review"` in a
 *   script the block writes resolves to the built package (the folder's node_modules/swe-review links the repo;
 *   node_modules/zod links the repo's zod, as a user's project installs it to define tools);
 * - HOME and XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME, XDG_DATA_HOME and TMPDIR point into the folder; no
 *   other variable of the test's environment (no API key, no proxy) is passed;
 * - in bubblewrap namespaces: no network but its own 127.0.0.1, and every process the block started ends with it;
 * - killed after a time limit (120 s unless given); a failure reports the block's file:line and its output's tail.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

/** What a block's marker asks for: run it, or skip it and say why. */
export type DocTestMarker = { kind: "run" } | { kind: "skip"; reason: string };

/** One fenced code block of a markdown file. `line` is the opening fence's (1-based); `marker` is absent when none. */
export interface DocBlock {
  file: string;
  line: number;
  /** The info string's first word (`bash`, `ts`, …), "" when the fence has none. */
  language: string;
  /** The block's lines between the fences, with the opening fence's indentation removed. */
  code: string;
  marker?: DocTestMarker;
}

/** A markdown file's blocks, or the reason it breaks the convention (unknown marker, marker without a fence, …). */
export class DocMarkerError extends Error {}

const SHELL_LANGUAGES = new Set(["bash", "sh", "shell", ""]);

/** The text inside `<!-- doc-test: … -->`: `run`, or `skip (<reason>)` with a non-empty reason. */
const MarkerBody = z.union([
  z.literal("run").transform((): DocTestMarker => ({ kind: "run" })),
  z
    .string()
    .regex(/^skip \((.*\S.*)\)$/)
    .transform((body): DocTestMarker => ({ kind: "skip", reason: body.slice("skip (".length, -1).trim() })),
]);

const MARKER_LINE = /^\s*<!--\s*doc-test:(.*?)-->\s*$/;
const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;

function parseMarker(text: string, where: string): DocTestMarker {
  const parsed = MarkerBody.safeParse(text.trim());
  if (!parsed.success) {
    throw new DocMarkerError(
      `${where}: unknown doc-test marker "${text.trim()}" (expected "run" or "skip (<reason>)")`,
    );
  }
  return parsed.data;
}

/**
 * The fenced blocks of `text` (the markdown of `file`, the name used in messages), with their markers. Throws a
 * `DocMarkerError` on a marker that is unknown, not right before a fence, or `run` on a block that is not shell.
 */
export function extractDocBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split("\n");
  const blocks: DocBlock[] = [];
  let pending: { marker: DocTestMarker; line: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const markerMatch = line.includes("doc-test:") ? MARKER_LINE.exec(line) : null;
    if (pending && !FENCE_OPEN.test(line)) {
      throw new DocMarkerError(
        `${file}:${pending.line}: doc-test marker is not on the line right before a fence`,
      );
    }
    if (markerMatch) {
      pending = { marker: parseMarker(markerMatch[1] ?? "", `${file}:${index + 1}`), line: index + 1 };
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (!open) continue;
    const [, indent = "", fence = "", language = ""] = open;
    const close = new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !close.test(lines[end] ?? "")) {
      const content = lines[end] ?? "";
      body.push(content.startsWith(indent) ? content.slice(indent.length) : content.trimStart());
      end++;
    }
    const block: DocBlock = { file, line: index + 1, language, code: body.join("\n") };
    if (pending) {
      if (pending.marker.kind === "run" && !SHELL_LANGUAGES.has(language)) {
        throw new DocMarkerError(
          `${file}:${index + 1}: a doc-test "run" block must be bash, not "${language}"`,
        );
      }
      block.marker = pending.marker;
      pending = undefined;
    }
    blocks.push(block);
    index = end;
  }
  if (pending) {
    throw new DocMarkerError(
      `${file}:${pending.line}: doc-test marker is not on the line right before a fence`,
    );
  }
  return blocks;
}

/** `file:line` of each block without a marker. */
export function unmarkedBlocks(blocks: DocBlock[]): string[] {
  return blocks.filter((block) => block.marker === undefined).map((block) => `${block.file}:${block.line}`);
}

/** The folder the `run` blocks of one markdown file share (see the module comment for what it holds). */
export interface DocFolder {
  /** The working directory of every block. */
  work: string;
  /** The environment every block gets: PATH with the `swe-review` shim first, HOME, XDG_* and TMPDIR inside. */
  env: NodeJS.ProcessEnv;
}

/**
 * A fresh folder for the blocks of one file: `swe-review` on PATH runs `<repo>/dist/cli.js`, and
 * `node_modules/swe-review` links `repo` (whose package.json exports dist/).
 */
export function openDocFolder(repo: string): DocFolder {
  const root = mkdtempSync(join(tmpdir(), "swe-review-doc-"));
  const bin = join(root, "bin");
  const work = join(root, "work");
  const home = join(root, "home");
  for (const dir of [bin, work, home, join(root, "tmp"), join(work, "node_modules")]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(
    join(bin, "swe-review"),
    `#!/bin/sh\nexec "${process.execPath}" "${join(repo, "dist", "cli.js")}" "$@"\n`,
    { mode: 0o755 },
  );
  symlinkSync(repo, join(work, "node_modules", "swe-review"));
  // Tools are defined with zod schemas; a user's project installs zod beside swe-review.
  symlinkSync(join(repo, "node_modules", "zod"), join(work, "node_modules", "zod"));
  return {
    work,
    env: {
      PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      XDG_STATE_HOME: join(home, ".local", "state"),
      XDG_CACHE_HOME: join(home, ".cache"),
      XDG_DATA_HOME: join(home, ".local", "share"),
      TMPDIR: join(root, "tmp"),
      LANG: "C.UTF-8",
    },
  };
}

/** How a `run` block ended: `ok` when bash exited 0 within the limit; `tail` is the end of its interleaved output. */
export interface DocBlockRun {
  ok: boolean;
  code: number | null;
  timedOut: boolean;
  tail: string;
  /** `file:line`, why it failed and the output's tail; "" when ok. */
  report: string;
}

const TAIL_CHARS = 4000;

/**
 * Runs a `run` block with bash in `folder`, inside bubblewrap with its own network (127.0.0.1 only) and process
 * namespaces, killed after `timeoutMs`.
 */
export function runDocBlock(block: DocBlock, folder: DocFolder, timeoutMs = 120_000): Promise<DocBlockRun> {
  const script = `set -euo pipefail\n${block.code}\n`;
  // Its own network namespace only: a PID namespace (with the host's /proc, or a new one) keeps the CLI's own
  // bubblewrap sandbox from starting inside as root. What the block leaves running is ended with its process group.
  // biome-ignore format: flags and their values, one pair per line would hide the command
  const args = [
    "--dev-bind", "/", "/", "--unshare-net", "--die-with-parent",
    "--chdir", folder.work, "bash", "-c", script, "doc-block",
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("bwrap", args, {
      cwd: folder.work,
      env: folder.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-TAIL_CHARS * 4);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      // A server the block started in the background ends with it.
      killGroup();
      const tail = output.slice(-TAIL_CHARS);
      const ok = code === 0 && !timedOut;
      const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exited ${code}`;
      const report = ok ? "" : `${block.file}:${block.line}: the doc block ${why}; its output ends:\n${tail}`;
      resolve({ ok, code, timedOut, tail, report });
    });
  });
}
