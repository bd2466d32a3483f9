import type { Model } from "../model/types.js";
import type { Tool } from "../tools/tool.js";
import type { TrajectorySink } from "../trajectory/writer.js";
import { type AgentRun, type RunAgentInput, runAgent } from "./run-agent.js";

/**
 * A role (reviewer, generator, …) plugs into the loop as an instruction, a toolset, and a function that extracts
 * the role's result when the loop ends. `extract` may call the model again (e.g. a final forced turn), recording
 * to the same trajectory.
 */
export interface Role<Input, Result> {
  readonly name: string;
  instruction(input: Input): { system: string; task: string };
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type.
  tools(input: Input): readonly Tool<any>[];
  extract(run: AgentRun, input: Input, context: RoleContext): Promise<Result> | Result;
}

/** What a role's `extract` may use: the run's model, its trajectory (to record extra turns) and abort signal. */
export interface RoleContext {
  model: Model;
  trajectory: TrajectorySink;
  signal?: AbortSignal;
}

/** Everything `runAgent` takes except what the role supplies (system prompt, task, tools and role name). */
export type RunRoleOptions = Omit<RunAgentInput, "system" | "task" | "tools" | "role">;

/**
 * Runs a role: builds its instruction and tools from `input`, runs the agent loop, then extracts the role's result
 * and records it as the trajectory's `result` event. Throws only what the role's own `extract` throws; model and
 * tool failures end the run with a status (see `runAgent`).
 */
export async function runRole<Input, Result>(
  role: Role<Input, Result>,
  input: Input,
  options: RunRoleOptions,
): Promise<{ run: AgentRun; result: Result }> {
  const { system, task } = role.instruction(input);
  const trajectory = options.trajectory ?? { write: () => {} };
  const run = await runAgent({
    ...options,
    trajectory,
    system,
    task,
    tools: role.tools(input),
    role: role.name,
  });
  const result = await role.extract(run, input, {
    model: options.model,
    trajectory,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  trajectory.write({ type: "result", result });
  return { run, result };
}
