import { z } from "zod";

const MESSAGE = "expected a list of test names, or a JSON-encoded list of them (as on the Hugging Face hub)";

/** `FAIL_TO_PASS`/`PASS_TO_PASS` as a list of strings, or the JSON text of one. */
export const TestNamesSchema = z.unknown().transform((value, context): string[] => {
  let list = value;
  if (typeof value === "string") {
    try {
      list = JSON.parse(value);
    } catch {
      context.addIssue({ code: "custom", message: `${MESSAGE}; got a string that is not JSON` });
      return z.NEVER;
    }
  }
  if (Array.isArray(list) && list.every((name) => typeof name === "string")) return list;
  context.addIssue({ code: "custom", message: `${MESSAGE}; got ${describe(list)}` });
  return z.NEVER;
});

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list with a non-string item";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
