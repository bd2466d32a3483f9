import type { StepProgress } from "../agent/run-agent.js";
import { formatSeconds, formatTokens } from "../review/render.js";

/**
 * A progress line on stderr: rewritten in place on a terminal, one line every few steps otherwise (so CI logs stay
 * readable). stdout is left to the command's result.
 */
export function progressLine(label: string, maxSteps: number, stream: NodeJS.WriteStream = process.stderr) {
  const tty = Boolean(stream.isTTY);
  let last = "";
  return {
    update(progress: StepProgress): void {
      const tokens = progress.usage.promptTokens + progress.usage.completionTokens;
      last = `[${label}] step ${progress.step}/${maxSteps} · ${formatTokens(tokens)} tokens · ${formatSeconds(progress.elapsedMs / 1000)}`;
      if (tty) stream.write(`\r\x1b[2K${last}`);
      else if (progress.step % 10 === 0) stream.write(`${last}\n`);
    },
    done(): void {
      if (tty && last) stream.write("\n");
    },
  };
}
