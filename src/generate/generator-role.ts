import type { Role } from "../agent/role.js";
import { agentSystemPrompt } from "../tools/openhands/system-prompt.js";
import { sandboxedToolset } from "../tools/openhands/toolset.js";
import type { OpenSandbox } from "../workspace/sandbox/open.js";

export interface GeneratorInput {
  /** Host-only state of the agent's tools (never visible to the agent). */
  workspace: { state: string };
  sandbox: OpenSandbox;
  /** The task: a generation or revision instruction. */
  task: string;
  securityRisk?: boolean;
  softTimeoutMs?: number;
}

/** The generator: our agent fixes the issue in /testbed and writes /pr_content.json; the candidate is its diff. */
export const generatorRole: Role<GeneratorInput, undefined> = {
  name: "generator",
  instruction: ({ sandbox, task }) => ({
    system: agentSystemPrompt({ workdir: sandbox.paths.testbed }),
    task,
  }),
  tools: sandboxedToolset,
  // The candidate is read from the workspace afterwards (the diff and /pr_content.json), not from the run.
  extract: () => undefined,
};
