import { InputError } from "../common/errors.js";

/**
 * The parsers of flag values the commands share. Bad input is an `InputError` (exit 3) that names the flag and
 * the value, and says what was expected.
 */

/** Commander's collector for an option given several times: `--x a --x b` → `["a", "b"]`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A positive whole number from a flag (nothing when the flag is absent), or a clear error naming it. */
export function positiveInteger(value: string, flag: string): number;
export function positiveInteger(value: string | undefined, flag: string): number | undefined;
export function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new InputError("bad_option", `${flag} ${value}: expected a positive whole number.`);
  return number;
}

/** Commander's parser for a flag that takes a positive whole number: `.option("--n <n>", "…", integerOption("--n"))`. */
export function integerOption(flag: string): (value: string) => number {
  return (value) => positiveInteger(value, flag);
}

/** A number above zero (`expected` says what, e.g. `seconds, e.g. 600`), or a clear error naming the flag. */
export function positiveNumber(value: string, flag: string, expected: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new InputError("bad_option", `${flag} ${value}: expected ${expected}.`);
  return number;
}

/** A number of zero or more (`expected` says what, e.g. `a number of days, e.g. 30`), or a clear error naming the flag. */
export function nonNegativeNumber(value: string, flag: string, expected: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new InputError("bad_option", `${flag} ${value}: expected ${expected}.`);
  return number;
}

/** Seconds of zero or more (a delay), or a clear error naming the flag. */
export function nonNegativeSeconds(value: string, flag: string): number {
  return nonNegativeNumber(value, flag, "seconds, e.g. 10");
}
