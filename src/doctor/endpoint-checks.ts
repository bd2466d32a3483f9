import { errorMessage } from "../common/errors.js";
import { parseJsonObject } from "../common/json-object.js";
import { redactUrl } from "../common/redact-url.js";
import type { ResolvedModel } from "../config/resolve-model.js";
import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ModelNotFoundError,
  RequestTimeoutError,
} from "../model/errors.js";
import { createTokenCounter } from "../model/tokens/create-counter.js";
import type { Model, ServedModel } from "../model/types.js";
import type { Check, CheckOutcome, CheckResult } from "./check.js";
import { structuredAnswer, toolRoundTrip } from "./probes.js";

/** What the endpoint checks work on: the resolved model and a way to make a client for it. */
export interface EndpointContext {
  resolved: ResolvedModel;
  /** A client for the endpoint, optionally with settings changed (e.g. text tool calls). */
  model(overrides?: Partial<ResolvedModel>): Model;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const NO_PARSER =
  /"auto" tool choice requires|tool[_ -]?choice|tool[_ -]?call[_ -]?parser|does not support tools|tools? (are|is) not supported/i;

/** The checks of a configured endpoint, in order. */
export function endpointChecks(): Check<EndpointContext>[] {
  return [
    { id: "model", title: "model", run: async ({ resolved }) => describeModel(resolved) },
    { id: "reachable", title: "reachable", run: checkReachable },
    { id: "listed", title: "listed", requires: ["reachable"], run: checkListed },
    { id: "tool-call", title: "tool call", requires: ["listed"], run: checkToolCall },
    { id: "structured-output", title: "structured output", requires: ["listed"], run: checkStructuredOutput },
    { id: "context", title: "context", requires: ["reachable"], run: checkContext },
    { id: "tokens", title: "token counts", run: checkTokens },
  ];
}

function describeModel(resolved: ResolvedModel): CheckOutcome {
  const calls = `${resolved.toolCalls} tool calls${resolved.provider === "openai" ? ` (${resolved.toolCallFormat} format)` : ""}`;
  const context = resolved.contextLength
    ? `${resolved.contextLength.toLocaleString("en-US")}-token context`
    : "context length unknown";
  const details = {
    provider: resolved.provider,
    baseUrl: redactUrl(resolved.baseUrl),
    toolCalls: resolved.toolCalls,
    preset: resolved.preset?.id ?? null,
  };
  if (!resolved.preset) {
    return {
      status: "warn",
      summary: `'${resolved.name}' at ${redactUrl(resolved.baseUrl)} matches no preset: ${resolved.provider}, ${calls}, ${context}`,
      fix: "Set model.preset (see `swe-review models`), or at least model.contextLength so runs stop before the context is full.",
      details,
    };
  }
  return {
    status: "ok",
    summary: `'${resolved.name}' at ${redactUrl(resolved.baseUrl)}: preset ${resolved.preset.id} (${resolved.provider}, ${calls}, ${context})`,
    details,
  };
}

async function checkReachable({ resolved, model, signal }: EndpointContext): Promise<CheckOutcome> {
  const started = Date.now();
  try {
    const served = await listModels(model(), signal);
    return {
      status: "ok",
      summary: `${redactUrl(resolved.baseUrl)} answers in ${Date.now() - started} ms and lists ${served.length} model${served.length === 1 ? "" : "s"}`,
      details: { served },
    };
  } catch (error) {
    return { status: "fail", summary: errorMessage(error), fix: reachFix(error, resolved) };
  }
}

function reachFix(error: unknown, resolved: ResolvedModel): string {
  if (error instanceof AuthenticationError) {
    return "Give the key the server expects: SWE_REVIEW_API_KEY (or the provider's variable, see `swe-review models`) or --api-key; for vLLM, the value of its --api-key.";
  }
  if (error instanceof ModelNotFoundError) {
    return `${redactUrl(resolved.baseUrl)} has no model list: check the base URL (OpenAI-compatible servers serve /v1/models, so it usually ends in /v1).`;
  }
  if (error instanceof ConnectionError || error instanceof RequestTimeoutError) {
    const serve = resolved.preset?.notes?.startsWith("vllm serve")
      ? ` For this preset: ${resolved.preset.notes}`
      : "";
    return `Start the server, or point --base-url (SWE_REVIEW_BASE_URL) at it.${serve}`;
  }
  return "Check the base URL and that the server is an OpenAI-compatible (or Anthropic) API.";
}

async function checkListed(
  { resolved }: EndpointContext,
  earlier: ReadonlyMap<string, CheckResult>,
): Promise<CheckOutcome> {
  const served = servedModels(earlier);
  if (served.some((entry) => entry.id === resolved.name))
    return { status: "ok", summary: `'${resolved.name}' is served` };
  const names = served.map((entry) => entry.id);
  const close = names.find((name) => name.toLowerCase() === resolved.name.toLowerCase());
  return {
    status: "fail",
    summary: `'${resolved.name}' is not served here; the server lists: ${names.join(", ") || "nothing"}`,
    fix: close
      ? `Names are case-sensitive: use --model ${close}.`
      : `Use --model ${names[0] ?? "<name>"} (one of the listed names; vLLM serves the name given by --served-model-name).`,
  };
}

async function checkToolCall({ resolved, model, signal }: EndpointContext): Promise<CheckOutcome> {
  if (resolved.toolCalls === "text") {
    const text = await roundTripOutcome(model(), signal);
    return text.works
      ? { status: "ok", summary: `tool calls work as text (model.toolCalls: text): ${text.summary}` }
      : { status: "fail", summary: `tool calls written as text do not work: ${text.summary}`, fix: text.fix };
  }
  let native: Awaited<ReturnType<typeof roundTripOutcome>>;
  try {
    native = await roundTripOutcome(model(), signal);
  } catch (error) {
    if (!(error instanceof BadRequestError) || !NO_PARSER.test(error.message)) throw error;
    const refusal = serverWords(error.message);
    const text = await roundTripOutcome(model({ toolCalls: "text" }), signal).catch((caught: unknown) => ({
      works: false,
      summary: errorMessage(caught),
      fix: undefined,
    }));
    const enable =
      "restart vLLM with --enable-auto-tool-choice --tool-call-parser " +
      (resolved.toolCallFormat === "qwen3_coder" ? "qwen3_coder" : "hermes");
    if (text.works) {
      return {
        status: "warn",
        summary: `the server refuses native tool calls (${refusal}); they work as text`,
        fix: `Set model.toolCalls: text (or pass --tool-calls text), or ${enable}.`,
      };
    }
    return {
      status: "fail",
      summary: `the server refuses native tool calls (${refusal}), and calls as text failed too: ${text.summary}`,
      fix: `${enable[0]?.toUpperCase()}${enable.slice(1)}.`,
    };
  }
  if (!native.works) return { status: "fail", summary: native.summary, fix: native.fix };
  if (native.source === "text") {
    return {
      status: "warn",
      summary: `the call came back as <tool_call> text in content, not as tool_calls: the server's tool parser is off or failed on it (swe-review reads such calls anyway). ${native.summary}`,
      fix: `Start vLLM with --enable-auto-tool-choice --tool-call-parser ${resolved.toolCallFormat === "qwen3_coder" ? "qwen3_coder" : "hermes"}, or set model.toolCalls: text to stop sending tools the server does not parse.`,
    };
  }
  return { status: "ok", summary: `native tool calls work: ${native.summary}` };
}

async function roundTripOutcome(
  model: Model,
  signal: AbortSignal | undefined,
): Promise<{ works: boolean; summary: string; fix?: string; source?: "native" | "text" }> {
  const trip = await toolRoundTrip(model, signal);
  if (trip.call.toolCalls.length === 0) {
    return {
      works: false,
      summary: `the model answered without calling the tool: ${JSON.stringify(trip.call.content.slice(0, 160))}`,
      fix: "Check that the server applies the model's chat template with tools (llama.cpp: --jinja; vLLM: a tool parser), or use --tool-calls text.",
    };
  }
  const args = trip.args;
  const argsOk = args?.a === 17 && args?.b === 25;
  const answered = trip.answer?.content.includes("42") ?? false;
  const summary = `add(${trip.call.toolCalls[0]?.arguments}) → 42 → ${JSON.stringify((trip.answer?.content ?? "").slice(0, 60))}${argsOk ? "" : " (unexpected arguments)"}${answered ? "" : " (the answer does not use the result)"}`;
  return { works: true, summary, ...(trip.call.toolCallSource ? { source: trip.call.toolCallSource } : {}) };
}

async function checkStructuredOutput({ model, signal, resolved }: EndpointContext): Promise<CheckOutcome> {
  let content: string;
  try {
    content = (await structuredAnswer(model(), signal)).content;
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    return {
      status: "fail",
      summary: `the server refused a JSON-schema response format (${serverWords(error.message)})`,
      fix:
        resolved.provider === "anthropic"
          ? "Use a model that supports forced tool use."
          : "Use a server with structured outputs (vLLM, SGLang; llama.cpp with --jinja). Without it the final report is read from free text, which fails more often.",
    };
  }
  const answer = parseJsonObject(content.trim());
  if (typeof answer?.answer === "number")
    return { status: "ok", summary: `JSON-schema answers work: ${content.trim().slice(0, 80)}` };
  return {
    status: "warn",
    summary: `the server accepted the schema but the answer does not follow it: ${JSON.stringify(content.slice(0, 120))}`,
    fix: "The server ignores response_format: check its structured-output (guided decoding) support; reports will be read from free text.",
  };
}

async function checkContext(
  { resolved }: EndpointContext,
  earlier: ReadonlyMap<string, CheckResult>,
): Promise<CheckOutcome> {
  const reported = servedModels(earlier).find((entry) => entry.id === resolved.name)?.contextLength;
  const planned = resolved.contextLength;
  const format = (value: number) => value.toLocaleString("en-US");
  if (reported === undefined) {
    return planned === undefined
      ? {
          status: "warn",
          summary: "the server does not report a context length and none is configured",
          fix: "Set model.contextLength so runs stop before the context is exceeded.",
        }
      : {
          status: "ok",
          summary: `not reported by the server; planning for ${format(planned)} tokens (${resolved.preset ? "preset" : "configuration"})`,
        };
  }
  if (planned === undefined || reported >= planned) {
    return {
      status: "ok",
      summary: `${format(reported)} tokens reported by the server${planned && planned < reported ? `; runs plan for the configured ${format(planned)}` : ""}`,
      details: { reported },
    };
  }
  return {
    status: "warn",
    summary: `the server allows ${format(reported)} tokens but runs plan for ${format(planned)}: long runs would be refused by the server`,
    fix: `Start vLLM with --max-model-len ${planned} (if memory allows), or set model.contextLength: ${reported}.`,
    details: { reported },
  };
}

async function checkTokens({ resolved, env }: EndpointContext): Promise<CheckOutcome> {
  const counter = createTokenCounter(resolved, env);
  if (counter.method === "tokenizer")
    return { status: "ok", summary: `exact counts (${counter.describe()})` };
  const repo = resolved.tokenizer && "repo" in resolved.tokenizer ? resolved.tokenizer.repo : undefined;
  if (repo) {
    return {
      status: "warn",
      summary: `${repo}'s tokenizer.json is not in the Hugging Face cache: token counts are estimated`,
      fix: `Download it (\`huggingface-cli download ${repo} tokenizer.json tokenizer_config.json\`) or set model.tokenizer to a tokenizer.json.`,
    };
  }
  return {
    status: "ok",
    summary: "estimated from characters, calibrated on the server's counts during a run",
  };
}

async function listModels(model: Model, signal: AbortSignal | undefined): Promise<ServedModel[]> {
  if (!model.listModels) throw new Error("this provider cannot list models");
  return model.listModels(signal);
}

function servedModels(earlier: ReadonlyMap<string, CheckResult>): ServedModel[] {
  return (earlier.get("reachable")?.details?.served as ServedModel[] | undefined) ?? [];
}

/** The server's own words in one of our error messages ("… (400: <words>)."). */
function serverWords(message: string): string {
  return /\((\d{3}: [\s\S]*)\)\.?$/.exec(message)?.[1] ?? message;
}
