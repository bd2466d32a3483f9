import type { Tool } from "../tools/tool.js";
import type { AgentFile } from "../workspace/agent-file.js";

/**
 * When the agent's tools last acted (host wall-clock time): a call that ends the run (`finish`) does not count.
 * Between calls only the model thinks, so a report file changed after the last call was changed by something
 * else: a process the candidate's code or the agent left running in the sandbox.
 */
export class ToolActivity {
  private lastEndedMs: number | undefined;

  /** The end of the last call, or undefined when no tool ran. */
  get lastCallEndedAtMs(): number | undefined {
    return this.lastEndedMs;
  }

  /** The same tools, each call's end recorded. */
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type.
  watch(tools: readonly Tool<any>[]): Tool<any>[] {
    return tools.map((tool) => ({
      ...tool,
      run: async (args, context) => {
        try {
          const result = await tool.run(args, context);
          if (result.finish === undefined) this.lastEndedMs = Date.now();
          return result;
        } catch (error) {
          this.lastEndedMs = Date.now();
          throw error;
        }
      },
    }));
  }
}

/** The report file's text if it is the agent's to take, else why it is not (undefined for both: there is none). */
export interface ReportAsLeft {
  text?: string;
  problem?: string;
}

/**
 * The report file as the agent left it. Read once the sandbox is stopped; refused when it is not a plain file (see
 * `readAgentFile`) or when it changed after the agent's last tool call (its ctime is set by the kernel: no process
 * in the sandbox can date a write back).
 */
export function reportAsLeft(file: AgentFile, lastCallEndedAtMs: number | undefined): ReportAsLeft {
  switch (file.kind) {
    case "missing":
      return {};
    case "refused":
      return { problem: `the report file was not read: ${file.reason}` };
    case "file":
      // `Date.now()` counts whole milliseconds; a ctime within the same one is not later.
      if (lastCallEndedAtMs === undefined || file.changedAtMs >= lastCallEndedAtMs + 1) {
        return {
          problem:
            "the report file was not used: it changed after the agent's last command, so a process left running " +
            "in the sandbox wrote it",
        };
      }
      return { text: file.text };
  }
}
