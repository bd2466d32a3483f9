import { describe, expect, it } from "vitest";
import type { SandboxFiles } from "../../workspace/sandbox/files.js";
import type { PersistentShell } from "../../workspace/sandbox/shell.js";
import { toolSpec } from "../tool.js";
import { renderTasks, taskTrackerTool } from "./task-tracker.js";
import { openHandsToolset } from "./toolset.js";

const paths = { testbed: "/testbed", reviewData: "/review_data", root: "/", tmp: "/tmp" };
const tools = (securityRisk: boolean) =>
  openHandsToolset({ shell: {} as PersistentShell, files: {} as SandboxFiles, paths, securityRisk }).map(
    toolSpec,
  );

describe("the OpenHands toolset's schemas", () => {
  it("lists the tools in the SDK's order", () => {
    expect(tools(false).map((tool) => tool.name)).toEqual([
      "terminal",
      "file_editor",
      "task_tracker",
      "finish",
      "think",
    ]);
  });

  it("matches the recorded training schemas without security_risk", () => {
    const [terminal, editor, tracker, finish, think] = tools(false);
    expect(Object.keys(terminal?.parameters ?? {})).toEqual(["type", "properties", "required"]);
    expect(Object.keys((terminal?.parameters.properties as object) ?? {})).toEqual([
      "command",
      "is_input",
      "timeout",
      "reset",
      "summary",
    ]);
    expect(terminal?.parameters.required).toEqual(["command"]);
    expect(editor?.parameters.required).toEqual(["command", "path"]);
    const editorProps = editor?.parameters.properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(editorProps.command ?? {})).toEqual(["type", "description", "enum"]);
    expect(Object.keys(editorProps.view_range ?? {})).toEqual(["type", "items", "description"]);
    expect(tracker?.parameters.required).toBeUndefined();
    const trackerProps = tracker?.parameters.properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(trackerProps.task_list ?? {})).toEqual(["type", "description", "items"]);
    expect(finish?.parameters).toMatchObject({ required: ["message"] });
    expect(Object.keys((think?.parameters.properties as object) ?? {})).toEqual(["thought", "summary"]);
    expect(editor?.description).toMatch(
      /\n\n\nYour current working directory is: \/testbed\nWhen exploring project structure, start with this directory instead of the root filesystem\.$/,
    );
    expect(terminal?.parameters.properties).toHaveProperty(
      "timeout.description",
      expect.stringContaining("you’ll"),
    );
  });

  it("adds a required security_risk before summary on non-read-only tools when advertised", () => {
    const [terminal, editor, tracker, finish, think] = tools(true);
    expect(terminal?.parameters.required).toEqual(["command", "security_risk"]);
    expect(editor?.parameters.required).toEqual(["command", "path", "security_risk"]);
    expect(tracker?.parameters.required).toEqual(["security_risk"]);
    expect(Object.keys((terminal?.parameters.properties as object) ?? {}).slice(-2)).toEqual([
      "security_risk",
      "summary",
    ]);
    expect(finish?.parameters.properties).not.toHaveProperty("security_risk");
    expect(think?.parameters.properties).not.toHaveProperty("security_risk");
    const risk = (terminal?.parameters.properties as Record<string, Record<string, unknown>>).security_risk;
    expect(risk?.enum).toEqual(["UNKNOWN", "LOW", "MEDIUM", "HIGH"]);
  });
});

describe("task_tracker", () => {
  it("plans, replaces and views the list in OpenHands' format", async () => {
    const tracker = taskTrackerTool({ securityRisk: false });
    const context = { signal: new AbortController().signal, callId: "c", step: 1, logger: {} as never };
    const view = async () => (await tracker.run(tracker.schema.parse({ command: "view" }), context)).output;
    expect(await view()).toBe('No task list found. Use the "plan" command to create one.');
    const planned = await tracker.run(
      tracker.schema.parse({
        command: "plan",
        task_list: [
          { title: "Explore repo", status: "done" },
          { title: "Fix bug", notes: "in foo.py", status: "in_progress" },
          { title: "Run tests" },
        ],
        security_risk: "LOW",
      }),
      context,
    );
    expect(planned.output).toBe("Task list has been updated with 3 item(s).");
    expect(await view()).toBe(
      "# Task List\n\n1. ✅ Explore repo\n\n2. 🔄 Fix bug\n   in foo.py\n\n3. ⏳ Run tests",
    );
    expect(renderTasks([])).toMatch(/^No task list found/);
  });
});
