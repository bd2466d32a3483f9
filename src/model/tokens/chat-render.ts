import { type TextCallFormat, toTextConversation } from "../text-calls/conversation.js";
import type { ModelRequest } from "../types.js";

/**
 * A request as the Qwen-family chat templates turn it into the prompt text, one segment per message, plus the
 * generation prompt. Tools, calls and results go through the same text rendering as `--tool-calls text` (which
 * renders exactly what the template renders natively); assistant reasoning is counted in a `<think>` block, as the
 * Qwen3 template renders it for the turns of an agent run. Segments begin and end with special tokens, so the
 * token count of the prompt is the sum of the segments' counts (which lets counters cache per message).
 */
export function chatSegments(request: ModelRequest, format: TextCallFormat = "hermes"): string[] {
  const segments = toTextConversation(request.messages, request.tools, format).map((message) => {
    if (message.role !== "assistant") return `<|im_start|>${message.role}\n${message.content}<|im_end|>\n`;
    const reasoning = message.reasoning?.replace(/^\n+|\n+$/g, "") ?? "";
    const think = reasoning === "" ? "" : `<think>\n${reasoning}\n</think>\n\n`;
    return `<|im_start|>assistant\n${think}${message.content.replace(/^\n+/, "")}<|im_end|>\n`;
  });
  segments.push("<|im_start|>assistant\n");
  return segments;
}
