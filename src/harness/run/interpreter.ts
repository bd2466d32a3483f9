import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute } from "node:path";
import { SYSTEM_DIRS } from "../../workspace/sandbox/bwrap.js";

/**
 * Host folders a sandbox must show (read-only) for `python` to run there with its packages: the install prefix of
 * the interpreter as named (a virtualenv's `bin/..`) and of the file it resolves to, unless they already lie in the
 * system folders every sandbox shows (Debian's `/usr/bin/python3` and its `python3-*` packages under `/usr`).
 * A bare name (`python3`) is looked up on the sandbox's PATH and needs nothing; a missing interpreter mounts nothing
 * (the run then says it is missing).
 */
export function interpreterMounts(python: string): string[] {
  if (!isAbsolute(python)) return [];
  const paths = [python];
  try {
    paths.push(realpathSync(python));
  } catch {
    // missing: the run will say so; doctor reports it first
  }
  const prefixes = paths.map((path) => dirname(dirname(path)));
  return [...new Set(prefixes)].filter(
    (prefix) =>
      prefix !== "/" &&
      existsSync(prefix) &&
      !SYSTEM_DIRS.some((dir) => prefix === dir || prefix.startsWith(`${dir}/`)),
  );
}
