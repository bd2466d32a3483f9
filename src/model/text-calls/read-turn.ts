import { randomBytes } from "node:crypto";
import type { ToolCall, ToolSpec } from "../types.js";
import { hasTextToolCalls, parseTextToolCalls } from "./parse.js";
import { splitThink } from "./think.js";

export interface TextTurn {
  content: string;
  reasoning?: string;
  /** Calls read from the text; empty when none were looked for or found. */
  calls: ToolCall[];
  /** Blocks that looked like calls but could not be read. */
  problems: string[];
  /** How many calls needed their JSON repaired. */
  repaired: number;
}

/**
 * What a server left in `content` that belongs elsewhere: `<think>` reasoning (no reasoning parser) and tool calls
 * (`parseCalls`: no tool parser, or vLLM's all-or-nothing fallback). Calls written inside `<think>` are reasoning,
 * not calls, as with vLLM's reasoning parser. Ids follow vLLM's `chatcmpl-tool-<32 hex>`.
 */
export function readTextTurn(
  content: string,
  reasoning: string | undefined,
  options: {
    parseCalls: boolean;
    tools: readonly ToolSpec[];
    /** The answer hit the length limit: a call that needed repair was cut off and must not run as repaired. */
    truncated?: boolean;
  },
): TextTurn {
  const split = splitThink(content);
  const thoughts = [reasoning, split.reasoning].filter((text): text is string => !!text);
  const turn: TextTurn = { content: split.content, calls: [], problems: [], repaired: 0 };
  if (thoughts.length > 0) turn.reasoning = thoughts.join("\n\n");
  if (!options.parseCalls || !hasTextToolCalls(split.content)) return turn;
  const parsed = parseTextToolCalls(split.content, options.tools);
  turn.content = parsed.content;
  turn.problems = parsed.problems;
  turn.repaired = parsed.calls.filter((call) => call.repaired).length;
  turn.calls = parsed.calls.map((call) => {
    // A repaired call from a cut-off answer would run with cut-off arguments (half a file written): keep the
    // model's own, invalid text instead, so the call is answered with an error the model can act on.
    const cutOff = options.truncated === true && call.repaired;
    if (cutOff) turn.problems.push(`the call of '${call.name}' was cut off by the length limit`);
    return {
      id: `chatcmpl-tool-${randomBytes(16).toString("hex")}`,
      name: call.name,
      arguments: cutOff ? call.text : call.arguments,
    };
  });
  return turn;
}
