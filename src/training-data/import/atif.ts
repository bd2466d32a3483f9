import { readFileSync, statSync } from "node:fs";
import { InputError } from "../../common/errors.js";
import { pythonJsonDumps } from "../../common/python-json.js";
import type { Message, ToolCall } from "../../model/types.js";
import {
  type AtifStep,
  type AtifTrajectory,
  AtifTrajectorySchema,
  atifText,
} from "../../trajectory/formats/atif-schema.js";
import { fromOpenAiTools } from "../../trajectory/formats/openai-chat.js";
import { AgentStatusSchema } from "../../trajectory/schema.js";
import { decisionOf } from "../dataset/sample.js";
import { reportFromAtifSteps } from "./atif-report.js";
import { eventsFromConversation } from "./to-events.js";
import type { ImportedTrajectory } from "./write-run.js";

/**
 * ATIF trajectories (a `.json` file with one trajectory or a list, or `.jsonl` with one a line): harbor's runner
 * output (v1.5) or our own export (v1.6). Each agent step becomes one assistant message; its observation results
 * answer its calls by `source_call_id` (or in order). The decision is the one our export recorded, else the one
 * found in the review report the agent wrote (see `reportFromAtifSteps`).
 */
export function importAtif(path: string, createdAt: string): ImportedTrajectory[] {
  return readAtifDocuments(path).map(({ value, where }, index) => {
    const parsed = AtifTrajectorySchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        "atif_invalid",
        `${where} is not an ATIF trajectory (${issue?.path.join(".") || "root"}: ${issue?.message}).`,
      );
    }
    return fromAtif(parsed.data, where, index, createdAt);
  });
}

function fromAtif(atif: AtifTrajectory, where: string, index: number, createdAt: string): ImportedTrajectory {
  const messages: Message[] = [];
  const details: { startedAt?: string; usage?: ReturnType<typeof usageOf>; errorCallIds?: string[] }[] = [];
  for (const step of atif.steps) {
    if (step.source !== "agent") {
      messages.push({ role: step.source, content: atifText(step.message) });
      continue;
    }
    const calls = (step.tool_calls ?? []).map((call) => toolCall(call, step));
    messages.push({
      role: "assistant",
      content: atifText(step.message),
      ...(typeof step.reasoning_content === "string" ? { reasoning: step.reasoning_content } : {}),
      toolCalls: calls,
    });
    (step.observation?.results ?? []).forEach((result, resultIndex) => {
      const id = result.source_call_id ?? calls[resultIndex]?.id ?? "";
      const name = calls.find((call) => call.id === id)?.name ?? "";
      messages.push({ role: "tool", toolCallId: id, name, content: atifText(result.content) });
    });
    const errors = step.extra?.error_call_ids;
    details.push({
      ...(step.timestamp ? { startedAt: step.timestamp } : {}),
      usage: usageOf(step),
      ...(Array.isArray(errors)
        ? { errorCallIds: errors.filter((id): id is string => typeof id === "string") }
        : {}),
    });
  }
  const extra = atif.extra ?? {};
  const meta = (atif.agent.extra?.meta ?? {}) as Record<string, unknown>;
  const status = AgentStatusSchema.safeParse(extra.status);
  const decision = extra.result !== undefined ? decisionOf(extra.result) : reportFromAtifSteps(atif.steps);
  const instanceId = typeof meta.instance_id === "string" ? meta.instance_id : undefined;
  const { events, orphans } = eventsFromConversation({
    id: atif.session_id || `atif-${index + 1}`,
    importedFrom: "atif",
    model: atif.agent.model_name ?? "",
    messages,
    tools: fromOpenAiTools(atif.agent.tool_definitions ?? [], where),
    meta,
    ...(status.success ? { status: status.data } : {}),
    decision,
    createdAt,
    stepDetails: details,
  });
  return {
    name: instanceId ?? `atif-${String(index + 1).padStart(6, "0")}`,
    events,
    result: {
      ...(instanceId ? { instance_id: instanceId } : {}),
      decision,
      imported_from: "atif",
      source: where,
    },
    dropped: orphans,
  };
}

function toolCall(call: NonNullable<AtifStep["tool_calls"]>[number], step: AtifStep): ToolCall {
  const texts = step.extra?.arguments_text;
  const text =
    texts && typeof texts === "object" ? (texts as Record<string, unknown>)[call.tool_call_id] : undefined;
  return {
    id: call.tool_call_id,
    name: call.function_name,
    arguments: typeof text === "string" ? text : pythonJsonDumps(call.arguments),
  };
}

function usageOf(step: AtifStep) {
  const metrics = step.metrics ?? {};
  const int = (value: number | null | undefined) => Math.max(0, Math.round(value ?? 0));
  return {
    promptTokens: int(metrics.prompt_tokens),
    completionTokens: int(metrics.completion_tokens),
    cachedTokens: int(metrics.cached_tokens),
    costUsd: Math.max(0, metrics.cost_usd ?? 0),
  };
}

function readAtifDocuments(path: string): { value: unknown; where: string }[] {
  let text: string;
  try {
    if (!statSync(path).isFile()) throw new Error("not a file");
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError("atif_unreadable", `Cannot read ATIF file ${path}: ${(error as Error).message}`);
  }
  try {
    if (path.endsWith(".jsonl")) {
      return text
        .split("\n")
        .map((line, index) => ({ line, index }))
        .filter(({ line }) => line.trim() !== "")
        .map(({ line, index }) => ({
          value: JSON.parse(line) as unknown,
          where: `${path} line ${index + 1}`,
        }));
    }
    const value: unknown = JSON.parse(text);
    return Array.isArray(value)
      ? value.map((item, index) => ({ value: item as unknown, where: `${path} item ${index + 1}` }))
      : [{ value, where: path }];
  } catch (error) {
    throw new InputError("atif_invalid", `${path} is not JSON or JSON Lines: ${(error as Error).message}`);
  }
}
