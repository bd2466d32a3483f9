import { halves } from "./text-halves.js";

/**
 * A rendered chat completion (`renderCompletion`) as the server-sent events of a streamed answer (`stream: true`),
 * the way vLLM and OpenAI send them: `chat.completion.chunk` objects, one per `data:` line —
 * 1. the role with the first half of the content (and reasoning, in the same field as the whole answer uses);
 * 2. the rest of the content;
 * 3. per tool call, its id, type and name with empty arguments, then the arguments text in two deltas;
 * 4. an empty delta with the finish reason;
 * 5. when the request asked for `stream_options.include_usage`, a chunk with no choices and the usage;
 * then `data: [DONE]`. The concatenated deltas equal the non-streamed message.
 */
export function renderCompletionChunks(
  completion: Record<string, unknown>,
  options: { includeUsage: boolean },
): string {
  const choice = (completion.choices as Array<Record<string, unknown>>)[0] ?? {};
  const message = (choice.message ?? {}) as Record<string, unknown>;
  const base = {
    id: completion.id,
    object: "chat.completion.chunk",
    created: completion.created,
    model: completion.model,
  };
  const chunks: Record<string, unknown>[] = [];
  const delta = (value: Record<string, unknown>, finishReason: unknown = null) =>
    chunks.push({
      ...base,
      choices: [{ index: 0, delta: value, logprobs: null, finish_reason: finishReason }],
    });

  const content = typeof message.content === "string" ? message.content : "";
  const [contentHead, contentTail] = halves(content);
  const first: Record<string, unknown> = {
    role: "assistant",
    content: message.content === null ? null : (contentHead ?? ""),
  };
  for (const field of ["reasoning", "reasoning_content"]) {
    if (typeof message[field] === "string") first[field] = message[field];
  }
  delta(first);
  if (contentTail !== undefined) delta({ content: contentTail });

  const toolCalls = (message.tool_calls ?? []) as Array<{
    id: string;
    type: string;
    function: { name: string; arguments: string };
  }>;
  toolCalls.forEach((call, index) => {
    delta({
      tool_calls: [
        { index, id: call.id, type: call.type, function: { name: call.function.name, arguments: "" } },
      ],
    });
    for (const part of halves(call.function.arguments)) {
      delta({ tool_calls: [{ index, function: { arguments: part } }] });
    }
  });
  delta({}, choice.finish_reason ?? "stop");
  if (options.includeUsage) chunks.push({ ...base, choices: [], usage: completion.usage });
  return `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("")}data: [DONE]\n\n`;
}
