import { renderQwen3Turns, turnText } from "../../model/text-calls/qwen3-template.js";
import type { Message, ToolSpec } from "../../model/types.js";
import { type ShareGptMessage, toShareGpt } from "./sharegpt.js";
import { llamaFactoryQwen3Text, shareGptProblems } from "./validate-sharegpt.js";

export interface RenderedRecord {
  messages: ShareGptMessage[];
  /** The chat template's text for the conversation (what the model is trained to continue). */
  text: string;
  merged: number;
}

/**
 * A LLaMA-Factory record of the pre-rendered form (reference §10.3): the conversation rendered with Qwen3's chat
 * template, split into system/user/assistant turns with turn masks. Checked before it is returned: it must pass
 * the ShareGPT rules, and LLaMA-Factory's `qwen3_nothink` template must build exactly the chat template's text
 * from it.
 */
export function llamaFactoryRecord(
  messages: readonly Message[],
  tools: readonly ToolSpec[],
  maskPatterns: readonly RegExp[],
): { ok: true; record: RenderedRecord } | { ok: false; reason: string } {
  const turns = renderQwen3Turns(messages, tools);
  const text = turns.map(turnText).join("");
  const split = toShareGpt(turns, maskPatterns);
  if (!split.ok) return split;
  const problems = shareGptProblems({ messages: split.messages });
  if (problems.length > 0) return { ok: false, reason: problems.join("; ") };
  if (llamaFactoryQwen3Text(split.messages) !== text) {
    return { ok: false, reason: "LLaMA-Factory would build a different text than the chat template" };
  }
  return { ok: true, record: { messages: split.messages, text, merged: split.merged } };
}

/**
 * Per-message token counts as LLaMA-Factory encodes them (each slot on its own), and the record cut after the
 * last whole prompt/reply pair that fits the cutoff. Undefined when not even the first pair fits.
 */
export function fitToCutoff(
  messages: readonly ShareGptMessage[],
  countText: (text: string) => number,
  cutoff: number,
): { messages: ShareGptMessage[]; tokens: number; fullTokens: number } | undefined {
  const counts = messages.map((message) => countText(llamaFactoryQwen3Text([message])));
  const fullTokens = counts.reduce((sum, count) => sum + count, 0);
  if (fullTokens <= cutoff) return { messages: [...messages], tokens: fullTokens, fullTokens };
  let end = messages.length;
  let tokens = fullTokens;
  while (end > 0 && tokens > cutoff) {
    end -= 2; // a reply and its prompt
    tokens -= (counts[end] ?? 0) + (counts[end + 1] ?? 0);
  }
  const minimum = messages[0]?.role === "system" ? 3 : 2;
  return end >= minimum ? { messages: messages.slice(0, end), tokens, fullTokens } : undefined;
}
