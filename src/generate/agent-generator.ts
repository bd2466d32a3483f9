import { rmSync } from "node:fs";
import { join } from "node:path";
import { runRole } from "../agent/role.js";
import type { AgentPlace } from "../agent-place/agent-place.js";
import type { Clock } from "../common/clock.js";
import type { Logger } from "../common/logger.js";
import { UsageTally } from "../trajectory/usage-tally.js";
import { TrajectoryWriter } from "../trajectory/writer.js";
import type { OpenSandbox } from "../workspace/sandbox/open.js";
import type { GenerationEnvironment, Generator, GeneratorOutcome } from "./generation.js";
import { generatorRole } from "./generator-role.js";

/**
 * Our agent as the generator: the generator role in the sandbox, its trajectory written as it goes, its usage
 * counted from the model's answers.
 */
export async function runAgentGenerator(
  generator: Extract<Generator, { kind: "agent" }>,
  place: AgentPlace,
  sandbox: OpenSandbox,
  task: string,
  env: GenerationEnvironment,
  clock: Clock,
  logger: Logger,
): Promise<GeneratorOutcome> {
  const path = join(env.outDir, "trajectory.jsonl");
  rmSync(path, { force: true });
  const writer = new TrajectoryWriter(path, { secrets: env.secrets ?? [] });
  const tally = new UsageTally(writer);
  try {
    const guard = generator.contextGuard?.();
    const { run } = await runRole(
      generatorRole,
      {
        workspace: { state: place.state },
        sandbox,
        task,
        ...(generator.securityRisk === undefined ? {} : { securityRisk: generator.securityRisk }),
        ...(generator.softTimeoutMs === undefined ? {} : { softTimeoutMs: generator.softTimeoutMs }),
      },
      {
        model: generator.model,
        budget: generator.budget,
        trajectory: tally,
        clock,
        logger,
        ...(guard ? { contextGuard: guard } : {}),
        ...(env.config === undefined ? {} : { config: env.config }),
        ...(env.signal ? { signal: env.signal } : {}),
        ...(env.onStep ? { onStep: env.onStep } : {}),
      },
    );
    return {
      status: run.status,
      usage: tally.usage,
      usageReport: {
        version: 1,
        source: "agent",
        inputTokens: tally.usage.promptTokens,
        outputTokens: tally.usage.completionTokens,
        cacheReadTokens: tally.usage.cachedTokens,
        cacheWriteTokens: tally.usage.cacheWriteTokens ?? null,
        costUsd: tally.usage.costUsd,
      },
      steps: tally.steps,
      ...(run.error ? { error: { code: run.error.code, message: run.error.message } } : {}),
    };
  } finally {
    writer.close();
  }
}
