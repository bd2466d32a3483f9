import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgent } from "../../src/agent/run-agent.js";
import { ScriptedModel } from "../../src/model/scripted/scripted-model.js";
import type { ModelRequest } from "../../src/model/types.js";
import { openHandsToolset } from "../../src/tools/openhands/toolset.js";
import { MemoryTrajectory } from "../../src/trajectory/writer.js";
import { HAS_BWRAP, openTestSandbox, type TestSandbox } from "../helpers/sandbox.js";

let box: TestSandbox;
beforeAll(async () => {
  box = await openTestSandbox({ kind: HAS_BWRAP ? "bwrap" : "local" });
});
afterAll(async () => box?.dispose());

const lastObservation = (request: ModelRequest) => request.messages.at(-1)?.content ?? "";

describe("an agent with the OpenHands toolset in a sandbox", () => {
  it("explores, edits, runs code and writes its report where the workspace captures it", async () => {
    const p = box.paths;
    const model = new ScriptedModel([
      {
        toolCalls: [
          { name: "terminal", arguments: { command: `cat ${p.reviewData}/problem_statement.txt` } },
        ],
      },
      (request) => {
        expect(lastObservation(request)).toMatch(
          /^add\(\) subtracts\n\[The command completed with exit code 0\.\]/,
        );
        return {
          toolCalls: [
            {
              name: "task_tracker",
              arguments: { command: "plan", task_list: [{ title: "Fix add", status: "in_progress" }] },
            },
            {
              name: "file_editor",
              arguments: { command: "view", path: `${p.testbed}/app.py`, security_risk: "LOW" },
            },
          ],
        };
      },
      (request) => {
        expect(lastObservation(request)).toContain("     2\t    return a - b");
        return {
          toolCalls: [
            {
              name: "file_editor",
              arguments: {
                command: "str_replace",
                path: `${p.testbed}/app.py`,
                old_str: "a - b",
                new_str: "a + b",
              },
            },
          ],
        };
      },
      {
        toolCalls: [
          { name: "think", arguments: { thought: "Now verify." } },
          {
            name: "terminal",
            arguments: { command: `cd ${p.testbed} && python3 -c 'import app; print(app.add(2, 3))'` },
          },
        ],
      },
      (request) => {
        expect(lastObservation(request)).toMatch(/^5\n/);
        return {
          toolCalls: [
            {
              name: "terminal",
              arguments: {
                command: `cat > ${p.root.replace(/\/$/, "")}/review_report.json << 'EOF'\n{"decision": {"recommendation": "approve", "confidence": 0.9}}\nEOF`,
              },
            },
          ],
        };
      },
      { toolCalls: [{ name: "finish", arguments: { message: "Fixed and verified." } }] },
    ]);
    const trajectory = new MemoryTrajectory();
    const run = await runAgent({
      model,
      tools: openHandsToolset({ shell: box.shell, files: box.files, paths: box.paths }),
      system: "You fix bugs.",
      task: "Fix add().",
      trajectory,
    });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe("finished");
    expect(run.finishMessage).toBe("Fixed and verified.");
    const report = box.workspace.deliverable("review_report.json");
    expect(JSON.parse(report.kind === "file" ? report.text : "{}")).toEqual({
      decision: { recommendation: "approve", confidence: 0.9 },
    });
    expect(box.repo.git("show", "HEAD:app.py")).toContain("a - b");
    const diff = await box.shell.run(`cd ${p.testbed} && git diff`, 5_000);
    expect(diff.output).toMatch(/- {4}return a - b\n\+ {4}return a \+ b/);
    const errors = trajectory.events.flatMap((event) =>
      event.type === "step" ? event.observations.filter((o) => o.isError) : [],
    );
    expect(errors).toEqual([]);
  });
});
