import { z } from "zod";
import { defineTool, type ToolResult } from "../tool.js";
import {
  FINISH_DESCRIPTION,
  FINISH_PARAMETERS,
  THINK_DESCRIPTION,
  THINK_PARAMETERS,
} from "./descriptions.js";
import { objectSchema, type SchemaOptions, withMetaStripped } from "./schemas.js";

/** `finish`: ends the run; the observation echoes the message. */
export function finishTool(options: SchemaOptions) {
  return textArgumentTool(options, {
    name: "finish",
    description: FINISH_DESCRIPTION,
    argument: "message",
    argumentDescription: FINISH_PARAMETERS.message,
    run: (message) => ({ output: message, finish: message }),
  });
}

/** `think`: records a thought; changes nothing. */
export function thinkTool(options: SchemaOptions) {
  return textArgumentTool(options, {
    name: "think",
    description: THINK_DESCRIPTION,
    argument: "thought",
    argumentDescription: THINK_PARAMETERS.thought,
    run: () => ({ output: "Your thought has been logged." }),
  });
}

/** A read-only tool whose one argument, required, is a string. */
function textArgumentTool(
  options: SchemaOptions,
  tool: {
    name: string;
    description: string;
    argument: string;
    argumentDescription: string;
    run: (text: string) => ToolResult;
  },
) {
  const { argument } = tool;
  return defineTool({
    name: tool.name,
    description: tool.description,
    parameters: objectSchema(
      { [argument]: { type: "string", description: tool.argumentDescription } },
      [argument],
      { ...options, readOnly: true },
    ),
    schema: withMetaStripped({ [argument]: z.string() }),
    run: (args) => tool.run(args[argument] as string),
  });
}
