import { SweReviewError } from "../../common/errors.js";
import { AbortedError } from "../errors.js";
import type { AssistantTurn, Message, Model, ModelDescriptor, ModelRequest } from "../types.js";
import { estimateTokens, type ScriptTurn, ScriptTurnSchema, scriptArgumentsText } from "./script.js";

/** A reply: a fixed turn, or a function of the request (which can assert on what the model received). */
export type ScriptedReply =
  | ScriptTurn
  | ((request: ModelRequest, call: number) => ScriptTurn | Promise<ScriptTurn>);

/**
 * A model that plays a list of assistant turns in order, in process. For unit tests, examples and replay.
 * Every request it receives is kept in `requests`.
 */
export class ScriptedModel implements Model {
  readonly requests: ModelRequest[] = [];
  private next = 0;

  constructor(
    private readonly replies: readonly ScriptedReply[],
    private readonly name = "scripted",
  ) {}

  get remaining(): number {
    return this.replies.length - this.next;
  }

  describe(): ModelDescriptor {
    return { provider: "scripted", name: this.name, settings: {} };
  }

  async complete(request: ModelRequest, signal?: AbortSignal): Promise<AssistantTurn> {
    if (signal?.aborted) throw new AbortedError("aborted", "The model request was aborted.");
    const call = this.next;
    const reply = this.replies[call];
    if (reply === undefined) {
      throw new SweReviewError(
        "script_exhausted",
        `The scripted model has no reply for call ${call + 1} (it holds ${this.replies.length}).`,
      );
    }
    this.next++;
    this.requests.push({ ...request, messages: [...request.messages], tools: [...request.tools] });
    const turn = ScriptTurnSchema.parse(typeof reply === "function" ? await reply(request, call) : reply);
    return scriptTurnToAssistantTurn(turn, request.messages, `call_${call + 1}`);
  }
}

export function scriptTurnToAssistantTurn(
  turn: ScriptTurn,
  messages: readonly Message[],
  idPrefix: string,
): AssistantTurn {
  const toolCalls = (turn.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `${idPrefix}_${index}`,
    name: call.name,
    arguments: scriptArgumentsText(call.arguments ?? {}),
  }));
  const content = turn.content ?? "";
  const completionText = content + (turn.reasoning ?? "") + toolCalls.map((call) => call.arguments).join("");
  const result: AssistantTurn = {
    content,
    toolCalls,
    finishReason: turn.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    usage: {
      promptTokens: turn.usage?.promptTokens ?? estimateTokens(messages.map((m) => m.content).join("")),
      completionTokens: turn.usage?.completionTokens ?? estimateTokens(completionText),
      cachedTokens: turn.usage?.cachedTokens ?? 0,
      costUsd: 0,
    },
  };
  if (turn.reasoning) result.reasoning = turn.reasoning;
  return result;
}
