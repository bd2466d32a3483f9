import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { defineTool } from "../tool.js";
import { TASK_TRACKER_DESCRIPTION, TASK_TRACKER_PARAMETERS } from "./descriptions.js";
import { jsonDecoded, objectSchema, type SchemaOptions, withMetaStripped } from "./schemas.js";

const TaskSchema = z
  .object({
    title: z.string(),
    notes: z.string().default(""),
    status: z.enum(["todo", "in_progress", "done"]).default("todo"),
  })
  .strict();
type Task = z.infer<typeof TaskSchema>;

const ICONS: Record<Task["status"], string> = { todo: "⏳", in_progress: "🔄", done: "✅" };

/** Renders the task list the way OpenHands' `view` does. */
export function renderTasks(tasks: readonly Task[]): string {
  if (tasks.length === 0) return 'No task list found. Use the "plan" command to create one.';
  let text = "# Task List\n\n";
  tasks.forEach((task, index) => {
    text += `${index + 1}. ${ICONS[task.status]} ${task.title}\n`;
    if (task.notes) text += `   ${task.notes}\n`;
    text += "\n";
  });
  return text.trimEnd();
}

/** The task list; `plan` replaces it and saves it to `TASKS.json` in the host-only state folder. */
export function taskTrackerTool(options: SchemaOptions & { stateDir?: string }) {
  let tasks: Task[] = [];
  return defineTool({
    name: "task_tracker",
    description: TASK_TRACKER_DESCRIPTION,
    parameters: objectSchema(
      {
        command: { type: "string", description: TASK_TRACKER_PARAMETERS.command, enum: ["view", "plan"] },
        task_list: {
          type: "array",
          description: TASK_TRACKER_PARAMETERS.task_list,
          items: {
            type: "object",
            properties: {
              title: { type: "string", description: TASK_TRACKER_PARAMETERS.title },
              notes: { type: "string", description: TASK_TRACKER_PARAMETERS.notes },
              status: {
                type: "string",
                description: TASK_TRACKER_PARAMETERS.status,
                enum: ["todo", "in_progress", "done"],
              },
            },
            required: ["title"],
          },
        },
      },
      [],
      { ...options, readOnly: false },
    ),
    schema: withMetaStripped({
      command: z.enum(["view", "plan"]).default("view"),
      task_list: jsonDecoded(z.array(TaskSchema)).default([]),
    }),
    run: ({ command, task_list: list }) => {
      if (command === "view") return { output: renderTasks(tasks) };
      tasks = list;
      if (options.stateDir) {
        mkdirSync(options.stateDir, { recursive: true });
        writeFileSync(join(options.stateDir, "TASKS.json"), `${JSON.stringify(tasks, null, 2)}\n`);
      }
      return { output: `Task list has been updated with ${tasks.length} item(s).` };
    },
  });
}
