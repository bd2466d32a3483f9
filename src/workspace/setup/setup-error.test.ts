import { describe, expect, it } from "vitest";
import { SetupError } from "./setup-error.js";

describe("SetupError", () => {
  it("says which command failed with the end of its output, without the output's control characters", () => {
    const log = `+ npm ci\nfetching\r\n\u001b]52;c;cm0gLXJmIH4K\u0007\u001b[2Jnpm ERR! \u009b31mbroken\n`;
    const error = new SetupError("npm ci", log, "failed (exit 1)");
    expect(error.message).toBe(
      "Setup command `npm ci` failed (exit 1): + npm ci | fetching | ]52;c;cm0gLXJmIH4K[2Jnpm ERR! 31mbroken",
    );
    expect(error.log).toBe(log);
  });
});
