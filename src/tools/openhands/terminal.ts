import { createHash } from "node:crypto";
import { z } from "zod";
import { pythonFloatRepr } from "../../common/python-json.js";
import { diskLimitNote } from "../../workspace/sandbox/disk-limit.js";
import type { SandboxFiles } from "../../workspace/sandbox/files.js";
import type { PersistentShell, ShellWait } from "../../workspace/sandbox/shell.js";
import { defineTool, type ToolResult } from "../tool.js";
import { TERMINAL_DESCRIPTION, TERMINAL_PARAMETERS } from "./descriptions.js";
import { errorResult } from "./observation.js";
import { looseBoolean, looseNumber, objectSchema, type SchemaOptions, withMetaStripped } from "./schemas.js";
import { clipMiddle, clipWithLineNotice } from "./truncate.js";

export interface TerminalOptions extends SchemaOptions {
  shell: PersistentShell;
  files: SandboxFiles;
  /** Folder (as the sandbox sees it) where clipped outputs are saved in full. */
  observationsDir: string;
  /** Control returns after this long without new output when no timeout is set (OpenHands: 30 s). */
  softTimeoutMs?: number;
  /** The longest a call waits without a timeout even while output keeps coming. */
  maxWaitMs?: number;
  /** Observations longer than this are clipped (OpenHands: 30,000). */
  maxOutputChars?: number;
}

const SPECIAL_KEY = /^C-([a-zA-Z])$/;
const RESET_TEXT =
  "Terminal session has been reset. All previous environment variables and session state have been cleared.";

export function terminalTool(options: TerminalOptions) {
  const softTimeoutMs = options.softTimeoutMs ?? 30_000;
  const maxWaitMs = options.maxWaitMs ?? 30 * 60_000;
  const maxChars = options.maxOutputChars ?? 30_000;
  const { shell } = options;
  const softSeconds = Math.round(softTimeoutMs / 1000);
  const timeoutAdvice =
    `send an empty command with is_input=true to wait for more output, send text with is_input=true to write it ` +
    `to the process's input, send C-c, C-d or C-z to interrupt it, or set a timeout for commands that take long.`;

  /** Text for a wait result: completed, still running (idle), or hard timeout. */
  async function observe(
    result: ShellWait,
    prefix: string,
    note: { timeoutSeconds?: number; key?: string } = {},
  ): Promise<ToolResult> {
    let output = result.output.trim();
    if (result.overflowKilled)
      output += "\n[The command was stopped: it printed more output than the limit allows.]";
    if (result.disk) output += `\n${diskLimitNote(result.disk)}`;
    let text: string;
    if (note.timeoutSeconds !== undefined) {
      text = `${prefix}${output}\n[The command timed out after ${pythonFloatRepr(note.timeoutSeconds)} seconds and was stopped. Run it again with a larger timeout if it needs more time.]`;
    } else if (result.running) {
      text = `${prefix}${output}\n[The command has no new output after ${softSeconds} seconds. It is still running: ${timeoutAdvice}]`;
    } else {
      const code = result.exitCode ?? -1;
      const sent = note.key ? ` CTRL+${note.key.toUpperCase()} was sent.` : "";
      const lines = [`${prefix}${output}\n[The command completed with exit code ${code}.${sent}]`];
      if (result.cwd) lines.push(`[Current working directory: ${result.cwd}]`);
      if (result.python) lines.push(`[Python interpreter: ${result.python}]`);
      if (code !== -1) lines.push(`[Command finished with exit code ${code}]`);
      if (result.shellExited) lines.push("[The shell exited; the next command starts a new session.]");
      text = lines.join("\n");
    }
    return { output: await clip(text) };
  }

  /** Clips a long observation, saving the whole text to a file the agent can read. */
  async function clip(text: string): Promise<string> {
    if (text.length <= maxChars) return text;
    const path = `${options.observationsDir}/bash_output_${createHash("sha256").update(text).digest("hex").slice(0, 8)}.txt`;
    try {
      await options.files.run(["mkdir", "-p", options.observationsDir]);
      await options.files.write(path, text);
    } catch {
      return clipMiddle(text, maxChars);
    }
    return clipWithLineNotice(
      text,
      maxChars,
      (line) =>
        `<response clipped><NOTE>The output was too long and has been cut here. The full output is saved in ${path}; the cut starts at line ${line}. Read it with grep -n, sed -n or file_editor view with a view_range.</NOTE>`,
    );
  }

  async function sendKey(letter: string): Promise<ToolResult> {
    const key = letter.toLowerCase();
    if (key === "d") await shell.input("", true);
    // Without a terminal there is no job control: C-z interrupts like C-c instead of suspending.
    else await shell.interrupt("SIGINT");
    const result = await shell.wait(softTimeoutMs, maxWaitMs);
    return observe(result, result.running ? "[Below is the output of the previous command.]\n" : "", {
      key: letter,
    });
  }

  async function runNew(command: string, timeoutSeconds: number | undefined): Promise<ToolResult> {
    if (timeoutSeconds !== undefined) {
      const result = await shell.run(command, Math.max(1, timeoutSeconds * 1000));
      return observe(result, "", result.timedOut ? { timeoutSeconds } : {});
    }
    await shell.start(command);
    return observe(await shell.wait(softTimeoutMs, maxWaitMs), "");
  }

  return defineTool({
    name: "terminal",
    description: TERMINAL_DESCRIPTION,
    parameters: objectSchema(
      {
        command: { type: "string", description: TERMINAL_PARAMETERS.command },
        is_input: { type: "boolean", description: TERMINAL_PARAMETERS.is_input },
        timeout: { type: "number", description: TERMINAL_PARAMETERS.timeout },
        reset: { type: "boolean", description: TERMINAL_PARAMETERS.reset },
      },
      ["command"],
      { ...options, readOnly: false },
    ),
    schema: withMetaStripped({
      command: z.string(),
      is_input: looseBoolean.optional(),
      timeout: looseNumber.pipe(z.number().nonnegative()).optional(),
      reset: looseBoolean.optional(),
    }),
    run: async ({ command, is_input: isInput = false, timeout, reset = false }) => {
      if (reset && isInput) throw new Error("Cannot use reset=True with is_input=True");
      if (reset) {
        await shell.reset();
        if (command.trim() === "") return { output: RESET_TEXT };
        const result = await runNew(command, timeout);
        return { ...result, output: `${RESET_TEXT}\n\n${result.output}` };
      }
      const key = SPECIAL_KEY.exec(command.trim());
      if (isInput || key || command.trim() === "") {
        if (!shell.running) {
          return errorResult(
            isInput
              ? "No previous running command to interact with."
              : "No previous running command to retrieve logs from.",
          );
        }
        if (key?.[1]) return sendKey(key[1]);
        if (isInput && command !== "") await shell.input(`${command}\n`);
        const result = await shell.wait(softTimeoutMs, maxWaitMs);
        return observe(result, result.running ? "[Below is the output of the previous command.]\n" : "");
      }
      if (shell.running) {
        const result = await shell.wait(0, 0);
        const output = result.output.trim();
        return {
          output: await clip(
            `[Below is the output of the previous command.]\n${output}\n[Your command "${command}" was NOT executed: the previous command is still running, and you cannot send a new command until it completes. To interact with it, ${timeoutAdvice}]`,
          ),
        };
      }
      return runNew(command, timeout);
    },
  });
}
