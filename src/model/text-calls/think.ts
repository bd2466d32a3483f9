/**
 * Splits `<think>…</think>` off the start of a model's text, as a server without a reasoning parser leaves it in
 * `content`. Follows the Qwen3 chat template: reasoning is the text before `</think>` (without the opening tag,
 * stripped of newlines), the answer is what follows, left-stripped of newlines. A thinking template opens `<think>`
 * in the prompt, so the answer may carry only the closing tag; an answer cut off mid-thought is all reasoning.
 */
export function splitThink(text: string): { content: string; reasoning?: string } {
  const open = /^\s*<think>/.exec(text);
  const close = text.indexOf("</think>");
  if (close === -1) {
    if (!open) return { content: text };
    return withReasoning("", text.slice(open[0].length));
  }
  const before = text.slice(0, close);
  if (!open && before.includes("<think>")) return { content: text }; // a literal tag later in the answer
  const reasoning = open ? before.slice(open[0].length) : before;
  return withReasoning(text.slice(close + "</think>".length).replace(/^\n+/, ""), reasoning);
}

function withReasoning(content: string, reasoning: string): { content: string; reasoning?: string } {
  const trimmed = reasoning.replace(/^\n+|\n+$/g, "");
  return trimmed === "" ? { content } : { content, reasoning: trimmed };
}
