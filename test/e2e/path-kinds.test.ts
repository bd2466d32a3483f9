import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Argument, Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { importBuilt } from "../helpers/built.js";
import { CLI, type CliResult, runCli } from "../helpers/cli.js";
import { runCliBatch } from "../helpers/cli-batch.js";

/**
 * Every path a command takes, given the wrong kind of path: a file where a folder belongs, a folder where a file
 * belongs, nothing, a path through a file, a dangling link, and one this user may not read or write. Each must be
 * bad input (exit 3) naming the path and the fix, never a crash with a trace. Commands and options come from the
 * program itself; only what each path must be is written here, and a path option missing from this table fails.
 */
type Kind = "file" | "folder" | "either" | "output-file" | "output-folder" | "repository" | "override";

const KINDS: Record<string, Kind> = {
  "--config": "file",
  "review --repo": "repository",
  "review --issue": "file",
  "review --patch": "file",
  "review --out": "output-folder",
  "generate --repo": "repository",
  "generate --issue": "file",
  "generate --out": "output-folder",
  "loop --repo": "repository",
  "loop --issue": "file",
  "loop --dataset": "either",
  "loop --out": "output-folder",
  "bench review --dataset": "either",
  "bench review --candidates": "file",
  "bench review --run-dir": "output-folder",
  "bench review --repo": "override",
  "bench revise --run-dir": "folder",
  "bench revise --repo": "override",
  "bench tts --dataset": "either",
  "bench tts --run-dir": "output-folder",
  "bench tts --repo": "override",
  "bench verify --dataset": "either",
  "bench verify --candidates": "file",
  "bench verify --output": "output-file",
  "bench verify --run-dir": "output-folder",
  "bench verify --repo": "override",
  "bench score --dataset": "either",
  "bench score --run-dir": "folder",
  "bench score --reviews": "file",
  "bench score --revisions": "file",
  "bench score --candidates": "file",
  "bench score --instances": "either",
  "bench score --output": "output-file",
  "bench score --report": "output-file",
  "sandbox --repo": "repository",
  "cache prune --setup-cache": "output-folder",
  "mock-server --script": "file",
  "grade --dataset": "either",
  "grade --log": "file",
  "verify --dataset": "either",
  "verify --candidates": "file",
  "verify --output": "output-file",
  "verify --repo": "override",
  "verify --run-dir": "output-folder",
  "verify --setup-cache": "output-folder",
  "doctor --dataset": "either",
  "doctor --repo": "override",
  "traj export <inputs>": "either",
  "traj export --out": "output-folder",
  "traj export --labels": "file",
  "traj export --tokenizer": "file",
  "traj import <file>": "file",
  "traj import --out": "output-folder",
  "traj validate <file>": "file",
  "traj view <path>": "either",
  "traj view --out": "output-file",
  "mcp --runs-dir": "output-folder",
  "github review --repo": "override",
  "github review --repo-path": "folder",
  "github review --issue": "file",
  "github review --out": "output-folder",
};
/** Placeholders that look like paths but are not. */
const NOT_PATHS = new Set(["traj export --base-model"]);
const PATH_LIKE = /<(file|dir|path|source|repo|inputs|[\w/]+=path)(\.\.\.)?>/;

/**
 * Root reads and writes past any permission bits, so as root the CLI runs as an unprivileged user (when that user can
 * load it); failing that, the permission cases are left out, as they cannot fail for root.
 */
const ROOT = process.getuid?.() === 0;
const NOBODY = ROOT && canRunAs(65534) ? 65534 : undefined;
const PERMISSION_CASES = !ROOT || NOBODY !== undefined;

function canRunAs(uid: number): boolean {
  const load = `import(${JSON.stringify(pathToFileURL(join(dirname(CLI), "cli", "main.js")).href)})`;
  return (
    spawnSync(process.execPath, ["--input-type=module", "-e", load], { uid, gid: uid, stdio: "ignore" })
      .status === 0
  );
}

function fixture() {
  const root = mkdtempSync(join(tmpdir(), "swe-review-paths-"));
  const at = (name: string) => join(root, name);
  writeFileSync(at("ok.txt"), "{}\n");
  mkdirSync(at("okdir"));
  mkdirSync(at("fresh"));
  mkdirSync(at("home"));
  writeFileSync(at("afile"), "a file\n");
  mkdirSync(at("adir"));
  writeFileSync(at("locked-file"), "secret\n");
  mkdirSync(at("locked-dir"));
  writeFileSync(join(at("locked-dir"), "inside.txt"), "x\n");
  mkdirSync(at("ro-dir"));
  writeFileSync(at("ro-file"), "read only\n");
  symlinkSync(at("no-such-target"), at("dangling"));
  if (NOBODY !== undefined) for (const name of ["", "fresh", "home"]) chownSync(at(name), NOBODY, NOBODY);
  chmodSync(at("locked-file"), 0o000);
  chmodSync(at("locked-dir"), 0o000);
  chmodSync(at("ro-dir"), 0o555);
  chmodSync(at("ro-file"), 0o444);
  let fresh = 0;
  const valid: Record<Kind, () => string> = {
    file: () => at("ok.txt"),
    folder: () => at("okdir"),
    either: () => at("ok.txt"),
    "output-file": () => at(`fresh/out-${fresh++}.json`),
    "output-folder": () => at(`fresh/dir-${fresh++}`),
    repository: () => at("okdir"),
    override: () => `demo/repo=${at("okdir")}`,
  };
  const missing = at("no-such");
  const through = at("afile/inside");
  const wrong: Record<Kind, Record<string, string>> = {
    file: {
      folder: at("adir"),
      missing,
      through,
      dangling: at("dangling"),
      unreadable: at("locked-file"),
    },
    folder: { file: at("afile"), missing, through, unreadable: at("locked-dir") },
    either: {
      missing,
      through,
      dangling: at("dangling"),
      "unreadable file": at("locked-file"),
      "unreadable folder": at("locked-dir"),
    },
    "output-file": {
      folder: at("adir"),
      through,
      "unwritable file": at("ro-file"),
      "unwritable folder": at("ro-dir/new.json"),
    },
    "output-folder": {
      file: at("afile"),
      through: at("afile/inside/deeper"),
      "unwritable folder": at("ro-dir"),
      "inside an unwritable folder": at("ro-dir/new"),
    },
    repository: { file: at("afile"), missing, through, unreadable: at("locked-dir") },
    override: Object.fromEntries(
      Object.entries({ file: at("afile"), missing, through, unreadable: at("locked-dir") }).map(
        ([what, path]) => [what, `demo/repo=${path}`],
      ),
    ),
  };
  // Without an unprivileged user to run as, root would read and write them all: left out (see PERMISSION_CASES).
  for (const cases of Object.values(wrong))
    for (const what of Object.keys(cases))
      if (!PERMISSION_CASES && /unreadable|unwritable/.test(what)) delete cases[what];
  return { root, home: at("home"), valid, wrong };
}

interface Leaf {
  name: string;
  command: Command;
  path: string[];
}

function leaves(command: Command, path: string[] = []): Leaf[] {
  if (command.commands.length === 0) return [{ name: path.join(" "), command, path }];
  return command.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
}

const optionKey = (leaf: Leaf | undefined, option: Option) =>
  [leaf?.name, option.long].filter(Boolean).join(" ");
const argumentKey = (leaf: Leaf, argument: Argument) => `${leaf.name} <${argument.name()}>`;

const { buildProgram } = await importBuilt<typeof import("../../src/cli/main.js")>("cli/main.js");
const { PathArgument, PathOption } =
  await importBuilt<typeof import("../../src/cli/path-options.js")>("cli/path-options.js");

describe("every path a command takes, given the wrong kind of path", () => {
  const program = buildProgram();
  const all = leaves(program);

  it("knows what each path option and argument of the program must be", () => {
    const found: string[] = [];
    const unexpected: string[] = [];
    const consider = (key: string, flags: string, declared: boolean) => {
      if (NOT_PATHS.has(key)) return;
      if (declared || PATH_LIKE.test(flags)) found.push(key);
      if (PATH_LIKE.test(flags) && !declared) unexpected.push(`${key} is not checked as a path`);
    };
    for (const option of program.options)
      consider(optionKey(undefined, option), option.flags, option instanceof PathOption);
    for (const leaf of all) {
      for (const option of leaf.command.options)
        consider(optionKey(leaf, option), option.flags, option instanceof PathOption);
      for (const argument of leaf.command.registeredArguments)
        consider(argumentKey(leaf, argument), `<${argument.name()}>`, argument instanceof PathArgument);
    }
    expect(unexpected).toEqual([]);
    expect(found.filter((key) => !(key in KINDS))).toEqual([]); // a new path option needs its kind here
    expect(Object.keys(KINDS).filter((key) => !found.includes(key))).toEqual([]); // no stale entries
  });

  it("refuses each wrong kind of path with exit 3, the path and the fix, and no stack trace", async () => {
    const { root, home, valid, wrong } = fixture();
    const cases: { key: string; argv: string[]; what: string; value: string }[] = [];
    /** The argv of `leaf` with valid values for what it requires, and `value` for the path under test. */
    const argvFor = (leaf: Leaf, test: { option?: Option; argument?: Argument; value: string }) => {
      const options: string[] = [];
      for (const option of leaf.command.options) {
        const kind = KINDS[optionKey(leaf, option)];
        if (option === test.option) options.push(option.long ?? "", test.value);
        else if (option.mandatory && option.defaultValue === undefined)
          options.push(option.long ?? "", kind ? valid[kind]() : (option.argChoices?.[0] ?? "1"));
      }
      const positionals = leaf.command.registeredArguments
        .filter((argument) => argument.required || argument === test.argument)
        .map((argument) => {
          if (argument === test.argument) return test.value;
          const kind = KINDS[argumentKey(leaf, argument)];
          return kind ? valid[kind]() : "true";
        });
      return [...leaf.path, ...options, "--", ...positionals];
    };
    for (const leaf of all) {
      for (const [what, value] of Object.entries(wrong.file))
        cases.push({
          key: "--config",
          argv: ["--config", value, ...argvFor(leaf, { value: "" })],
          what: `${leaf.name} --config ${what}`,
          value,
        });
      for (const option of leaf.command.options) {
        const kind = KINDS[optionKey(leaf, option)];
        if (!kind) continue;
        for (const [what, value] of Object.entries(wrong[kind]))
          cases.push({
            key: optionKey(leaf, option),
            argv: argvFor(leaf, { option, value }),
            what: `${optionKey(leaf, option)}: ${what}`,
            value,
          });
      }
      for (const argument of leaf.command.registeredArguments) {
        const kind = KINDS[argumentKey(leaf, argument)];
        if (!kind) continue;
        for (const [what, value] of Object.entries(wrong[kind]))
          cases.push({
            key: argumentKey(leaf, argument),
            argv: argvFor(leaf, { argument, value }),
            what: `${argumentKey(leaf, argument)}: ${what}`,
            value,
          });
      }
    }
    // Two batches side by side (two cores), each one process running its cases through the CLI's main.
    const env = { PATH: process.env.PATH ?? "", HOME: home, XDG_CACHE_HOME: join(home, ".cache") };
    const user = NOBODY === undefined ? {} : { uid: NOBODY, gid: NOBODY };
    const half = Math.ceil(cases.length / 2);
    const batches = await Promise.all(
      [cases.slice(0, half), cases.slice(half)].map((batch) =>
        runCliBatch(
          batch.map((entry) => entry.argv),
          { cwd: root, env, ...user },
        ),
      ),
    );
    const results = batches.flat();
    const failures = cases.flatMap((entry, index) => {
      const result = results[index] as CliResult;
      const problems = [
        result.code === 3 ? "" : `exit ${result.code}`,
        result.stderr.startsWith("error: ") ? "" : "no error line",
        result.stderr.includes(entry.value) ? "" : "the path is not named",
        /\. Give /.test(result.stderr) ? "" : "no fix",
        /internal error|^\s+at .+:\d+:\d+\)?$/m.test(result.stderr) ? "a stack trace" : "",
      ].filter(Boolean);
      return problems.length > 0
        ? [`${entry.what} (${problems.join(", ")}): ${result.stderr.slice(0, 300)}`]
        : [];
    });
    expect(failures).toEqual([]);
    expect(new Set(cases.map((entry) => entry.key))).toEqual(new Set(Object.keys(KINDS))); // every path was tried
  });

  it("refuses the mix-ups the issue found through the real CLI, as the batch does", async () => {
    const { root, home, valid, wrong } = fixture();
    const env = { PATH: process.env.PATH ?? "", HOME: home };
    const runs: Array<[string[], string]> = [
      [
        [
          "review",
          "--issue",
          valid.file(),
          "--patch",
          valid.file(),
          "--base",
          "HEAD",
          "--out",
          wrong.folder.file as string,
        ],
        "--out",
      ],
      [
        [
          "verify",
          "--dataset",
          valid.file(),
          "--candidates",
          "gold",
          "--output",
          valid["output-file"](),
          "--repo",
          "x/y=/nonexistent",
        ],
        "--repo",
      ],
      [
        ["grade", "--dataset", valid.file(), "--instance", "x", "--log", wrong.file.folder as string],
        "--log",
      ],
    ];
    const results = await Promise.all(runs.map(([argv]) => runCli(argv, { cwd: root, env })));
    for (const [index, result] of results.entries()) {
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`^error: ${runs[index]?.[1]} `));
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    expect(results[1]?.stderr).toContain("/nonexistent");
  });

  it("refuses a path made from another one that a file blocks, naming the file, with no stack trace", async () => {
    const { root, home } = fixture();
    const dataset = join(root, "instances.jsonl");
    writeFileSync(
      dataset,
      `${JSON.stringify({
        instance_id: "demo__app-1",
        repo: "demo/app",
        base_commit: "0".repeat(40),
        problem_statement: "x",
        patch: "",
        test_patch: "",
        FAIL_TO_PASS: "[]",
        PASS_TO_PASS: "[]",
        version: "1.0",
      })}\n`,
    );
    // verify keeps its logs in <output>.logs unless told: a file there blocks the run's folders.
    writeFileSync(join(root, "results.logs"), "not a folder\n");
    const result = await runCli(
      ["verify", "--dataset", dataset, "--candidates", "gold", "--output", join(root, "results.jsonl")],
      { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: home } },
    );
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(`error: ${join(root, "results.logs")} is a file, so `);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
