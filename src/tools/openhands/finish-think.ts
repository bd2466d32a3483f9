import { z } from "zod";
import { defineTool } from "../tool.js";
import {
  FINISH_DESCRIPTION,
  FINISH_PARAMETERS,
  THINK_DESCRIPTION,
  THINK_PARAMETERS,
} from "./descriptions.js";
import { objectSchema, type SchemaOptions, withMetaStripped } from "./schemas.js";

/** `finish`: ends the run; the observation echoes the message. */
export function finishTool(options: SchemaOptions) {
  return defineTool({
    name: "finish",
    description: FINISH_DESCRIPTION,
    parameters: objectSchema(
      { message: { type: "string", description: FINISH_PARAMETERS.message } },
      ["message"],
      { ...options, readOnly: true },
    ),
    schema: withMetaStripped({ message: z.string() }),
    run: ({ message }) => ({ output: message, finish: message }),
  });
}

/** `think`: records a thought; changes nothing. */
export function thinkTool(options: SchemaOptions) {
  return defineTool({
    name: "think",
    description: THINK_DESCRIPTION,
    parameters: objectSchema(
      { thought: { type: "string", description: THINK_PARAMETERS.thought } },
      ["thought"],
      { ...options, readOnly: true },
    ),
    schema: withMetaStripped({ thought: z.string() }),
    run: () => ({ output: "Your thought has been logged." }),
  });
}
