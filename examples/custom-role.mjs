// @ts-check
/**
 * A role of your own, run on swe-review's agent loop with a scripted model: no sandbox, no model, no network.
 *
 *   npm run build && node examples/custom-role.mjs
 *
 * A `Role` is what the reviewer and the generator are made of: an instruction (system prompt and task), the tools
 * the agent may call, and `extract`, which turns the finished run into the role's result. This one triages an
 * issue: it may read the repository's files and must end by calling `submit_triage` with a label and the file to
 * look at, which `extract` validates with zod. `runRole` runs it and records every step to the trajectory.
 */

import { defineTool, MemoryTrajectory, runRole } from "swe-review";
import { ScriptedModel } from "swe-review/testing";
import { z } from "zod";

/**
 * What the triager is given: the issue, and the repository as path → text (a real role would read a checkout or a
 * sandbox).
 *
 * @typedef {{ issue: string, files: Record<string, string> }} TriageInput
 */

/** What it hands back: the role's result, validated like any record at a boundary. */
const TriageSchema = z.object({
  label: z.enum(["bug", "feature", "question"]),
  file: z.string(),
  reason: z.string(),
});
/** @typedef {z.infer<typeof TriageSchema>} Triage */

/** @type {import("swe-review").Role<TriageInput, Triage | { error: string }>} */
const triager = {
  name: "triager",
  instruction: ({ issue, files }) => ({
    system: "You triage issues. Read the files you need, then call submit_triage once.",
    task: `Issue:\n${issue}\n\nFiles: ${Object.keys(files).join(", ")}`,
  }),
  tools: ({ files }) => [
    defineTool({
      name: "read_file",
      description: "Read one file of the repository.",
      schema: z.object({ path: z.string() }),
      run: ({ path }) =>
        path in files ? { output: files[path] ?? "" } : { output: `No such file: ${path}`, isError: true },
    }),
    defineTool({
      name: "submit_triage",
      description: "Submit the triage and end the run.",
      schema: TriageSchema,
      // `finish` ends the agent's run; its value becomes the run's finishMessage.
      run: (triage) => ({ output: "Submitted.", finish: JSON.stringify(triage) }),
    }),
  ],
  // The run ends with submit_triage's JSON, or with a text answer (or a limit) when the agent never submitted.
  extract: (run) => {
    try {
      return TriageSchema.parse(JSON.parse(run.finishMessage ?? ""));
    } catch {
      return { error: `no triage (agent ${run.status}: ${run.finishMessage ?? "no final message"})` };
    }
  },
};

const model = new ScriptedModel([
  { content: "Let me look at the code.", toolCalls: [{ name: "read_file", arguments: { path: "calc.py" } }] },
  {
    toolCalls: [
      {
        name: "submit_triage",
        arguments: { label: "bug", file: "calc.py", reason: "add() returns a - b." },
      },
    ],
  },
]);
const trajectory = new MemoryTrajectory();
const { run, result } = await runRole(
  triager,
  {
    issue: "add(2, 3) returns -1 instead of 5.",
    files: { "calc.py": "def add(a, b):\n    return a - b\n", "README.md": "calc\n" },
  },
  { model, trajectory, budget: { maxSteps: 5 } },
);

console.log(`role ${triager.name}: agent ${run.status} after ${run.steps} steps`);
console.log(`triage: ${JSON.stringify(result)}`);
console.log(
  `trajectory: ${trajectory.events.length} events, ending with a ${trajectory.events.at(-1)?.type} event`,
);
