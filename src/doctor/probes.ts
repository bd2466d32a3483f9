import { parseJsonObject } from "../common/json-object.js";
import type { AssistantTurn, Model, ModelRequest, ToolSpec } from "../model/types.js";

/** The one tool of the round-trip probe. */
export const ADD_TOOL: ToolSpec = {
  name: "add",
  description: "Add two integers and return their sum.",
  parameters: {
    type: "object",
    properties: { a: { type: "integer" }, b: { type: "integer" } },
    required: ["a", "b"],
  },
};

const SYSTEM = "You are a careful assistant. Use tools when asked to.";

export interface RoundTrip {
  call: AssistantTurn;
  /** The answer after the tool's result, when there was a call to answer. */
  answer?: AssistantTurn;
  /** The call's arguments as parsed, when they are a JSON object. */
  args?: Record<string, unknown>;
}

/** Asks for one call of `add(17, 25)`, sends back 42, and reads the answer. */
export async function toolRoundTrip(model: Model, signal?: AbortSignal): Promise<RoundTrip> {
  const first: ModelRequest = {
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: "Use the add tool to add 17 and 25. Then reply with the sum only." },
    ],
    tools: [ADD_TOOL],
  };
  const call = await model.complete(first, signal);
  const toolCall = call.toolCalls.find((candidate) => candidate.name === ADD_TOOL.name);
  if (!toolCall) return { call };
  const args = parseJsonObject(toolCall.arguments);
  const answer = await model.complete(
    {
      ...first,
      messages: [
        ...first.messages,
        {
          role: "assistant",
          content: call.content,
          toolCalls: [toolCall],
          ...(call.reasoning ? { reasoning: call.reasoning } : {}),
          ...(call.thinkingBlocks ? { thinkingBlocks: call.thinkingBlocks } : {}),
        },
        { role: "tool", toolCallId: toolCall.id, name: toolCall.name, content: "42" },
      ],
    },
    signal,
  );
  return { call, answer, ...(args ? { args } : {}) };
}

export const STRUCTURED_SCHEMA = {
  type: "object",
  properties: { answer: { type: "integer" } },
  required: ["answer"],
  additionalProperties: false,
};

/** Asks for `{"answer": 42}` under a JSON schema (the forced final turn's mechanism). */
export async function structuredAnswer(model: Model, signal?: AbortSignal): Promise<AssistantTurn> {
  return model.complete(
    {
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: 'What is 6 times 7? Answer with a JSON object {"answer": <integer>}.' },
      ],
      tools: [],
      options: { responseFormat: { name: "doctor_answer", schema: STRUCTURED_SCHEMA } },
    },
    signal,
  );
}
