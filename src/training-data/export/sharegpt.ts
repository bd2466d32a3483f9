import type { ChatTurn } from "../../model/text-calls/qwen3-template.js";
import { reportsFailure } from "./turn-mask.js";

/** One message of a LLaMA-Factory ShareGPT record (`messages` column, OpenAI-style tags) with its turn mask. */
export interface ShareGptMessage {
  role: "system" | "user" | "assistant";
  content: string;
  /** true: no loss on this turn (prompts, and assistant turns whose tool call failed). */
  turn_mask: boolean;
}

export type ShareGptResult =
  | { ok: true; messages: ShareGptMessage[]; merged: number }
  | { ok: false; reason: string };

/**
 * Splits a rendered conversation into alternating prompt/response messages as LLaMA-Factory's ShareGPT loader
 * requires (system first, then user/assistant pairs, ending with an assistant turn). Turns that follow each other
 * on the same side (a tool result and then a notice; two answers in a row) are joined with the special tokens
 * between them, so that LLaMA-Factory's `qwen3_nothink` template produces exactly the text of the chat template.
 * An assistant turn is masked when the prompt after it reports a failed tool call.
 */
export function toShareGpt(turns: readonly ChatTurn[], maskPatterns: readonly RegExp[]): ShareGptResult {
  const messages: ShareGptMessage[] = [];
  let merged = 0;
  for (const [index, turn] of turns.entries()) {
    if (index === 0 && turn.role === "system") {
      messages.push({ role: "system", content: turn.content, turn_mask: true });
      continue;
    }
    const side = turn.role === "assistant" ? "assistant" : "user";
    const previous = messages.at(-1);
    if (previous && previous.role === side) {
      previous.content += `<|im_end|>\n<|im_start|>${turn.role}\n${turn.content}`;
      merged++;
    } else if (turn.role === "system") {
      return { ok: false, reason: "a system message after a reply cannot open a ShareGPT user turn" };
    } else {
      messages.push({ role: side, content: turn.content, turn_mask: side === "user" });
    }
  }
  const bodyStart = messages[0]?.role === "system" ? 1 : 0;
  if (messages[bodyStart]?.role !== "user") {
    return { ok: false, reason: "the conversation does not start with a user turn" };
  }
  while (messages.length > bodyStart && messages.at(-1)?.role !== "assistant") messages.pop();
  if (messages.length === bodyStart) return { ok: false, reason: "there is no assistant turn" };
  messages.forEach((message, index) => {
    const next = messages[index + 1];
    if (message.role === "assistant" && next && reportsFailure(next.content, maskPatterns)) {
      message.turn_mask = true;
    }
  });
  return { ok: true, messages, merged };
}
