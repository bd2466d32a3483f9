import { InputError } from "../common/errors.js";
import { AGENT_CLIS } from "./agent-clis/table.js";

/**
 * An external coding agent, run as a shell command template in the workspace's sandbox. Placeholders:
 * `{instruction_file}` (the task, as a file), `{workdir}` (the checkout), `{model}` (the generator model's name).
 * Not yet run for real (unlike the agents of `AGENT_CLIS`, which are found on the host and set up for the sandbox).
 */
export const EXTERNAL_AGENT_EXAMPLES: Record<string, string> = {
  mini: 'mini --model {model} --task "$(cat {instruction_file})" --yolo --exit-immediately',
};

const PLACEHOLDERS = ["instruction_file", "workdir", "model"];

export function renderCommandTemplate(
  template: string,
  values: { instructionFile: string; workdir: string; model?: string },
): string {
  const unknown = [...template.matchAll(/\{([a-z_]+)\}/g)]
    .map((m) => m[1])
    .filter((name) => !PLACEHOLDERS.includes(name ?? ""));
  if (unknown.length > 0) {
    throw new InputError(
      "generator_template",
      `Unknown placeholder {${unknown[0]}} in the generator command; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}.`,
    );
  }
  if (template.includes("{model}") && !values.model) {
    throw new InputError(
      "generator_template",
      "The generator command uses {model}, but no generator model is set: pass --generator-model <name> (the model the agent asks its API for).",
    );
  }
  return template
    .replaceAll("{instruction_file}", shellQuote(values.instructionFile))
    .replaceAll("{workdir}", shellQuote(values.workdir))
    .replaceAll("{model}", shellQuote(values.model ?? ""));
}

function shellQuote(value: string): string {
  return /^[\w./:@=-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * `--generator`: a model name, a ready-made agent CLI (`AGENT_CLIS`), or a command (has whitespace or a placeholder;
 * or says `cmd:`/`model:`).
 */
export type GeneratorSpec =
  | { kind: "model"; name: string }
  | {
      kind: "command";
      template: string;
      /** An untested template of `EXTERNAL_AGENT_EXAMPLES`, by name (`mini`): the user is warned. */
      untested?: string;
    }
  | { kind: "agent-cli"; name: string };

export function parseGeneratorSpec(value: string): GeneratorSpec {
  if (value.startsWith("model:")) return { kind: "model", name: value.slice(6) };
  if (value.startsWith("cmd:")) return { kind: "command", template: value.slice(4) };
  if (Object.hasOwn(AGENT_CLIS, value)) return { kind: "agent-cli", name: value };
  const example = EXTERNAL_AGENT_EXAMPLES[value];
  if (example) return { kind: "command", template: example, untested: value };
  if (/\s|\{/.test(value)) return { kind: "command", template: value };
  return { kind: "model", name: value };
}
