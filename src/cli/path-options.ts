import { Argument, type Command, Option } from "commander";
import { localRepoPath, overridePath } from "../workspace/repo-source.js";
import { checkPath, type PathKind, type PathRule } from "./path-check.js";

/** `--repo` of the commands that take one repository: a local clone when the value names a path. */
export const REPOSITORY: PathRule = { kind: "folder", pathOf: localRepoPath };
/** `--repo owner/name=/path/to/clone`: the clone must be a folder. */
export const REPO_OVERRIDE: PathRule = { kind: "folder", pathOf: overridePath };
/** A file to read, or `-` for standard input. */
export const FILE_OR_STDIN: PathRule = { kind: "file", words: ["-"] };

/** An option whose value is a path (or a list of them), checked against its rule before the command runs. */
export class PathOption extends Option {
  readonly rule: PathRule;
  constructor(flags: string, description: string, rule: PathKind | PathRule) {
    super(flags, description);
    this.rule = typeof rule === "string" ? { kind: rule } : rule;
  }
}

/** A positional argument whose value is a path (or, variadic, a list of them), checked like a `PathOption`. */
export class PathArgument extends Argument {
  readonly rule: PathRule;
  constructor(name: string, description: string, rule: PathKind | PathRule) {
    super(name, description);
    this.rule = typeof rule === "string" ? { kind: rule } : rule;
  }
}

export function pathOption(flags: string, description: string, rule: PathKind | PathRule): PathOption {
  return new PathOption(flags, description, rule);
}

/** `--repo <repo>`: where the repository comes from (`note` ends its help, e.g. with a default). */
export function repoOption(note = ""): PathOption {
  return pathOption(
    "--repo <repo>",
    `the repository: a local clone, a git URL, owner/name, or owner/name=/path/to/clone${note}`,
    REPOSITORY,
  );
}

/** `--issue <file>`: the issue text from a file or standard input (`note` ends its help). */
export function issueOption(note = ""): PathOption {
  return pathOption(
    "--issue <file>",
    `the issue text: a file, or - for standard input${note}`,
    FILE_OR_STDIN,
  );
}

export function pathArgument(name: string, description: string, rule: PathKind | PathRule): PathArgument {
  return new PathArgument(name, description, rule);
}

/**
 * Checks every path the command about to run was given (its own options and arguments, and the global ones) before
 * its action does anything, so a file where a folder belongs, a missing input or a place that cannot be written is
 * bad input (exit 3) naming the flag, the path and the fix, never a crash halfway. Defaults are checked too.
 */
export function checkPathsBeforeAction(program: Command): Command {
  return program.hook("preAction", (_program, action) => {
    for (let command: Command | null = action; command; command = command.parent) {
      for (const option of command.options) {
        if (!(option instanceof PathOption)) continue;
        const value = command.getOptionValue(option.attributeName());
        const label = `${option.long ?? option.short ?? option.name()}${command.getOptionValueSource(option.attributeName()) === "default" ? " (default)" : ""}`;
        for (const path of values(value)) checkPath(path, option.rule, label, option.description);
      }
    }
    action.registeredArguments.forEach((argument, index) => {
      if (!(argument instanceof PathArgument)) return;
      for (const path of values(action.processedArgs[index]))
        checkPath(path, argument.rule, "", argument.description);
    });
  });
}

function values(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}
