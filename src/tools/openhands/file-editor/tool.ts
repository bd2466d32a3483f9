import { z } from "zod";
import type { SandboxFiles } from "../../../workspace/sandbox/files.js";
import { defineTool } from "../../tool.js";
import { FILE_EDITOR_PARAMETERS, fileEditorDescription } from "../descriptions.js";
import { errorResult, ToolInputError } from "../observation.js";
import { jsonDecoded, looseNumber, objectSchema, type SchemaOptions, withMetaStripped } from "../schemas.js";
import { FileEditor } from "./editor.js";

export function fileEditorTool(options: SchemaOptions & { files: SandboxFiles; cwd: string }) {
  const editor = new FileEditor(options.files, options.cwd);
  return defineTool({
    name: "file_editor",
    description: fileEditorDescription(options.cwd),
    parameters: objectSchema(
      {
        command: {
          type: "string",
          description: FILE_EDITOR_PARAMETERS.command,
          enum: ["view", "create", "str_replace", "insert", "undo_edit"],
        },
        path: { type: "string", description: FILE_EDITOR_PARAMETERS.path },
        file_text: { type: "string", description: FILE_EDITOR_PARAMETERS.file_text },
        old_str: { type: "string", description: FILE_EDITOR_PARAMETERS.old_str },
        new_str: { type: "string", description: FILE_EDITOR_PARAMETERS.new_str },
        insert_line: { type: "integer", description: FILE_EDITOR_PARAMETERS.insert_line },
        view_range: {
          type: "array",
          items: { type: "integer" },
          description: FILE_EDITOR_PARAMETERS.view_range,
        },
      },
      ["command", "path"],
      { ...options, readOnly: false },
    ),
    schema: withMetaStripped({
      command: z.enum(["view", "create", "str_replace", "insert", "undo_edit"]),
      path: z.string(),
      file_text: z.string().optional(),
      old_str: z.string().optional(),
      new_str: z.string().optional(),
      insert_line: looseNumber.pipe(z.number().int().nonnegative()).optional(),
      view_range: jsonDecoded(z.array(z.number().int())).optional(),
    }),
    run: async (args) => {
      try {
        return { output: await editor.run(args) };
      } catch (error) {
        if (error instanceof ToolInputError) return errorResult(error.message);
        throw error;
      }
    },
  });
}
