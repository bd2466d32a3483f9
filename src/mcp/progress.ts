import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../common/logger.js";
import { formatSeconds, formatTokens } from "../review/render.js";
import type { ToolCall } from "./tool-review.js";

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Progress notifications for a tool call, one per agent step, when the client asked for them (sent a progress
 * token). `progress` is the step, `total` the step limit (raised if the agent's grace turn goes past it, so the
 * numbers only ever increase).
 */
export function stepNotifier(extra: ToolExtra, logger: Logger): ToolCall["onStep"] {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let last = 0;
  return (progress, maxSteps) => {
    if (progress.step <= last) return;
    last = progress.step;
    const tokens = progress.usage.promptTokens + progress.usage.completionTokens;
    extra
      .sendNotification({
        method: "notifications/progress",
        params: {
          progressToken,
          progress: progress.step,
          total: Math.max(maxSteps, progress.step),
          message: `review step ${progress.step}/${maxSteps} · ${formatTokens(tokens)} tokens · ${formatSeconds(progress.elapsedMs / 1000)}`,
        },
      })
      .catch((error: unknown) => logger.warn({ err: error }, "could not send a progress notification"));
  };
}
