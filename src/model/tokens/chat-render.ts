import { type TextCallFormat, toTextConversation } from "../text-calls/conversation.js";
import { renderQwen3Turns, turnText } from "../text-calls/qwen3-template.js";
import type { ModelRequest } from "../types.js";

/**
 * A request as the Qwen-family chat templates turn it into the prompt text, one segment per turn, plus the
 * generation prompt. Hermes-format models (Qwen3) get the exact rendering of Qwen3's template (tools in the system
 * prompt, `<tool_call>` blocks, `<tool_response>` turns, `<think>` on the turns after the last user query);
 * Qwen3-Coder models go through the same text rendering as `--tool-calls text`. Segments begin and end with special
 * tokens, so the token count of the prompt is the sum of the segments' counts (which lets counters cache per turn).
 */
export function chatSegments(request: ModelRequest, format: TextCallFormat = "hermes"): string[] {
  const segments =
    format === "hermes"
      ? renderQwen3Turns(request.messages, request.tools).map(turnText)
      : toTextConversation(request.messages, request.tools, format).map((message) => {
          if (message.role !== "assistant")
            return `<|im_start|>${message.role}\n${message.content}<|im_end|>\n`;
          return `<|im_start|>assistant\n${message.content.replace(/^\n+/, "")}<|im_end|>\n`;
        });
  segments.push("<|im_start|>assistant\n");
  return segments;
}
