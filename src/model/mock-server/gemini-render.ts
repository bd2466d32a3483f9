import {
  estimateTokens,
  type ScriptTurn,
  ScriptTurnSchema,
  scriptArgumentsText,
} from "../scripted/script.js";

/** A part of a Gemini `Content`: text, a thought summary (`thought: true`), or a function call. */
type Part =
  | { text: string; thought?: true }
  | { functionCall: { name: string; args: Record<string, unknown>; id?: string } };

/** What the Gemini API reports per answer (`usageMetadata`); the prompt count includes the cached part. */
export interface GeminiUsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount: number;
}

/** A `GenerateContentResponse`: one candidate, its usage, and the model version that answered. */
export interface GenerateContentResponse {
  candidates: Array<{
    content: { role: "model"; parts: Part[] };
    finishReason?: "STOP" | "MAX_TOKENS";
    index: 0;
  }>;
  usageMetadata?: GeminiUsageMetadata;
  modelVersion: string;
  responseId: string;
}

export interface GeminiRenderOptions {
  /** The model named in the request path; reported as `modelVersion`. */
  model: string;
  /** The prompt's token count when the turn's usage does not set one. */
  promptTokens: number;
  responseId: string;
}

/**
 * A scripted turn as a whole `GenerateContentResponse`: reasoning as a thought part, content as text, tool calls as
 * `functionCall` parts (arguments as an object, as the API sends them). Usage: the turn's figures, or estimates;
 * thoughts are counted apart from the candidates, as the API does.
 */
export function renderGenerateContent(
  input: ScriptTurn,
  options: GeminiRenderOptions,
): GenerateContentResponse {
  const turn = ScriptTurnSchema.parse(input);
  const parts: Part[] = [];
  if (turn.reasoning !== undefined) parts.push({ text: turn.reasoning, thought: true });
  if (turn.content) parts.push({ text: turn.content });
  for (const call of turn.toolCalls ?? []) {
    const args = scriptArgumentsText(call.arguments);
    parts.push({
      functionCall: {
        name: call.name,
        args: args ? JSON.parse(args) : {},
        ...(call.id ? { id: call.id } : {}),
      },
    });
  }
  const usage = turn.usage ?? {};
  const prompt = usage.promptTokens ?? options.promptTokens;
  const candidates =
    usage.completionTokens ?? estimateTokens(JSON.stringify(parts.filter((part) => !isThought(part))));
  const thoughts = turn.reasoning === undefined ? 0 : estimateTokens(turn.reasoning);
  return {
    candidates: [
      {
        content: { role: "model", parts },
        finishReason: turn.finishReason === "length" ? "MAX_TOKENS" : "STOP",
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: prompt,
      candidatesTokenCount: candidates,
      ...(usage.cachedTokens === undefined ? {} : { cachedContentTokenCount: usage.cachedTokens }),
      ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
      totalTokenCount: prompt + candidates + thoughts,
    },
    modelVersion: options.model,
    responseId: options.responseId,
  };
}

/**
 * The same answer as `streamGenerateContent?alt=sse` sends it: one `data:` event per part (text split in two), the
 * finish reason and usage on the last one, as the API does.
 */
export function renderGenerateContentEvents(response: GenerateContentResponse): string {
  const candidate = response.candidates[0];
  const pieces = (candidate?.content.parts ?? []).flatMap((part): Part[] =>
    "text" in part ? halves(part.text).map((text) => ({ ...part, text })) : [part],
  );
  if (pieces.length === 0) pieces.push({ text: "" });
  const events = pieces.map((part, index) => {
    const last = index === pieces.length - 1;
    return {
      candidates: [
        {
          content: { role: "model", parts: [part] },
          ...(last && candidate?.finishReason ? { finishReason: candidate.finishReason } : {}),
          index: 0,
        },
      ],
      ...(last && response.usageMetadata ? { usageMetadata: response.usageMetadata } : {}),
      modelVersion: response.modelVersion,
      responseId: response.responseId,
    };
  });
  return events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join("");
}

function isThought(part: Part): boolean {
  return "thought" in part && part.thought === true;
}

function halves(text: string): string[] {
  const middle = Math.floor(text.length / 2);
  const pieces = [text.slice(0, middle), text.slice(middle)].filter((piece) => piece !== "");
  return pieces.length > 0 ? pieces : [""];
}
