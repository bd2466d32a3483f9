import { InputError } from "../../common/errors.js";
import { shellQuote } from "../../common/shell-quote.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The shell text that runs `command` in `cwd` with `env` exported, in a subshell (so nothing it sets outlives it),
 * with stdout and stderr together: in `outputFile` when one is given, else on the script's own stdout (to be read
 * through a pipe, which nothing the command runs can rewrite afterwards).
 */
export function execScript(
  command: string,
  options: { cwd: string; outputFile?: string; env?: Readonly<Record<string, string>> },
): string {
  const exports = Object.entries(options.env ?? {}).map(([name, value]) => {
    if (!NAME.test(name)) {
      throw new InputError(
        "env_name_invalid",
        `Environment variable name '${name}' (a test spec's or setup's) is not a valid shell name; use letters, digits and _.`,
      );
    }
    return `export ${name}=${shellQuote(value)}\n`;
  });
  const body = `cd ${shellQuote(options.cwd)} && (\n${exports.join("")}${command}\n)`;
  return options.outputFile ? `${body} > ${shellQuote(options.outputFile)} 2>&1` : `exec 2>&1\n${body}`;
}
