import { randomBytes } from "node:crypto";
import {
  estimateTokens,
  type ScriptTurn,
  ScriptTurnSchema,
  scriptArgumentsText,
} from "../scripted/script.js";
import { halves } from "./text-halves.js";

/** An item of a Responses API answer's `output`. */
export type ResponsesOutputItem =
  | { type: "reasoning"; id: string; summary: Array<{ type: "summary_text"; text: string }> }
  | {
      type: "message";
      id: string;
      status: "completed";
      role: "assistant";
      content: Array<{ type: "output_text"; text: string; annotations: [] }>;
    }
  | {
      type: "function_call";
      id: string;
      status: "completed";
      call_id: string;
      name: string;
      arguments: string;
    }
  | {
      type: "custom_tool_call";
      id: string;
      status: "completed";
      call_id: string;
      name: string;
      input: string;
    };

export interface ResponsesRenderOptions {
  model: string;
  /** Estimated prompt tokens, reported when the turn names none. */
  promptTokens: number;
  /**
   * Names of the request's freeform tools (`{"type":"custom"}`, such as Codex's `apply_patch`): a scripted call to
   * one becomes a `custom_tool_call` whose input is the call's raw argument text; other calls are `function_call`s.
   */
  customTools?: ReadonlySet<string>;
}

/**
 * A scripted turn as a Responses API `response` object (status completed): reasoning summary, text, then tool calls,
 * and usage in the API's shape (`input_tokens` counts the whole prompt, cached and cache-written tokens included).
 */
export function renderResponse(input: ScriptTurn, options: ResponsesRenderOptions): Record<string, unknown> {
  const turn = ScriptTurnSchema.parse(input);
  const output: ResponsesOutputItem[] = [];
  if (turn.reasoning !== undefined) {
    output.push({
      type: "reasoning",
      id: itemId("rs"),
      summary: [{ type: "summary_text", text: turn.reasoning }],
    });
  }
  if (turn.content) {
    output.push({
      type: "message",
      id: itemId("msg"),
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: turn.content, annotations: [] }],
    });
  }
  for (const call of turn.toolCalls ?? []) {
    const callId = call.id ?? itemId("call");
    const text = scriptArgumentsText(call.arguments);
    output.push(
      options.customTools?.has(call.name)
        ? {
            type: "custom_tool_call",
            id: itemId("ctc"),
            status: "completed",
            call_id: callId,
            name: call.name,
            input: text,
          }
        : {
            type: "function_call",
            id: itemId("fc"),
            status: "completed",
            call_id: callId,
            name: call.name,
            arguments: text,
          },
    );
  }
  const usage = turn.usage ?? {};
  const reasoningTokens = estimateTokens(turn.reasoning ?? "");
  const inputTokens = usage.promptTokens ?? options.promptTokens;
  const outputTokens = usage.completionTokens ?? estimateTokens(JSON.stringify(output));
  return {
    id: itemId("resp"),
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status: turn.finishReason === "length" ? "incomplete" : "completed",
    ...(turn.finishReason === "length" ? { incomplete_details: { reason: "max_output_tokens" } } : {}),
    model: options.model,
    output,
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: {
        cached_tokens: usage.cachedTokens ?? 0,
        ...(usage.cacheWriteTokens === undefined ? {} : { cache_write_tokens: usage.cacheWriteTokens }),
      },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: reasoningTokens },
      total_tokens: inputTokens + outputTokens,
    },
  };
}

/**
 * The same response as the server-sent events of a streamed answer: `response.created`, per output item
 * `output_item.added`, its deltas (text, function-call arguments, custom tool input, reasoning summary) and
 * `output_item.done`, then `response.completed` (or `response.incomplete`) carrying the usage.
 */
export function renderResponseEvents(response: Record<string, unknown>): string {
  const events: Array<Record<string, unknown>> = [];
  const pending = { ...response, status: "in_progress", output: [], usage: null };
  events.push({ type: "response.created", response: pending });
  events.push({ type: "response.in_progress", response: pending });
  (response.output as ResponsesOutputItem[]).forEach((item, outputIndex) => {
    events.push({ type: "response.output_item.added", output_index: outputIndex, item: itemAsAdded(item) });
    events.push(...itemDeltaEvents(item, { item_id: item.id, output_index: outputIndex }));
    events.push({ type: "response.output_item.done", output_index: outputIndex, item });
  });
  const ending = response.status === "incomplete" ? "response.incomplete" : "response.completed";
  events.push({ type: ending, response });
  return events
    .map(
      (event, index) =>
        `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: index })}\n\n`,
    )
    .join("");
}

/** An output item as `output_item.added` announces it: in progress, its content still empty. */
function itemAsAdded(item: ResponsesOutputItem): Record<string, unknown> {
  switch (item.type) {
    case "message":
      return { ...item, status: "in_progress", content: [] };
    case "function_call":
      return { ...item, status: "in_progress", arguments: "" };
    case "custom_tool_call":
      return { ...item, status: "in_progress", input: "" };
    case "reasoning":
      return { ...item, summary: [] };
  }
}

/** An event, or the fields several events share. */
type EventFields = Record<string, unknown>;

/** The events that stream an output item's content, between its `output_item.added` and `output_item.done`. */
function itemDeltaEvents(item: ResponsesOutputItem, at: EventFields): EventFields[] {
  switch (item.type) {
    case "message":
      return textPartEvents(
        { ...at, content_index: 0 },
        ["response.content_part", "response.output_text"],
        { type: "output_text", text: "", annotations: [] },
        item.content[0]?.text ?? "",
      );
    case "function_call":
      return streamedValue("response.function_call_arguments", at, "arguments", item.arguments);
    case "custom_tool_call":
      return streamedValue("response.custom_tool_call_input", at, "input", item.input);
    case "reasoning":
      return textPartEvents(
        { ...at, summary_index: 0 },
        ["response.reasoning_summary_part", "response.reasoning_summary_text"],
        { type: "summary_text", text: "" },
        item.summary[0]?.text ?? "",
      );
  }
}

/** A text part: `<part>.added` with the part empty, the text as `<text>` deltas, then `<part>.done` with it full. */
function textPartEvents(
  at: EventFields,
  [partKind, textKind]: [string, string],
  emptyPart: EventFields,
  text: string,
): EventFields[] {
  return [
    { type: `${partKind}.added`, ...at, part: emptyPart },
    ...streamedValue(textKind, at, "text", text),
    { type: `${partKind}.done`, ...at, part: { ...emptyPart, text } },
  ];
}

/** `<kind>.delta` events carrying the value in halves, then `<kind>.done` carrying it whole as `field`. */
function streamedValue(kind: string, at: EventFields, field: string, value: string): EventFields[] {
  return [
    ...halves(value).map((delta) => ({ type: `${kind}.delta`, ...at, delta })),
    { type: `${kind}.done`, ...at, [field]: value },
  ];
}

function itemId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("hex")}`;
}
