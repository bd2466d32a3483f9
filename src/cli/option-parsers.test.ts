import { describe, expect, it } from "vitest";
import { InputError } from "../common/errors.js";
import {
  collect,
  integerOption,
  nonNegativeNumber,
  nonNegativeSeconds,
  positiveInteger,
  positiveNumber,
} from "./option-parsers.js";

/** The error a parser throws for bad input: an InputError (exit 3) whose message names the flag and the value. */
function badInput(parse: () => unknown): InputError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(3);
    expect((error as InputError).code).toBe("bad_option");
    return error as InputError;
  }
  throw new Error("expected the parser to reject its input");
}

describe("CLI option parsers", () => {
  it("collects a repeated option in order", () => {
    expect(["a", "b", "c"].reduce<string[]>((all, value) => collect(value, all), [])).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(collect("x")).toEqual(["x"]);
  });

  it("reads positive whole numbers and names the flag for anything else", () => {
    expect(positiveInteger("12", "--jobs")).toBe(12);
    expect(positiveInteger(undefined, "--jobs")).toBeUndefined();
    for (const bad of ["0", "-3", "2.5", "many", ""]) {
      expect(badInput(() => positiveInteger(bad, "--jobs")).message).toBe(
        `--jobs ${bad}: expected a positive whole number.`,
      );
    }
    const gpus = integerOption("--gpus");
    expect(gpus("8")).toBe(8);
    expect(badInput(() => gpus("eight")).message).toBe("--gpus eight: expected a positive whole number.");
  });

  it("reads positive numbers with fractions, saying what was expected", () => {
    expect(positiveNumber("1.5", "--timeout", "seconds, e.g. 600")).toBe(1.5);
    for (const bad of ["0", "-1", "soon", "Infinity"]) {
      expect(badInput(() => positiveNumber(bad, "--timeout", "seconds, e.g. 600")).message).toBe(
        `--timeout ${bad}: expected seconds, e.g. 600.`,
      );
    }
  });

  it("reads zero or more, for delays and ages", () => {
    expect(nonNegativeSeconds("0", "--retry-delay")).toBe(0);
    expect(nonNegativeNumber("30", "--older-than", "a number of days, e.g. 30")).toBe(30);
    expect(badInput(() => nonNegativeSeconds("-1", "--retry-delay")).message).toBe(
      "--retry-delay -1: expected seconds, e.g. 10.",
    );
    expect(
      badInput(() => nonNegativeNumber("old", "--older-than", "a number of days, e.g. 30")).message,
    ).toBe("--older-than old: expected a number of days, e.g. 30.");
  });
});
