import type { Command } from "commander";
import { PRESETS, type Preset } from "../../config/presets.js";

/** `swe-review models`: the model presets, as a table or JSON. */
export function registerModelsCommand(program: Command): void {
  program
    .command("models")
    .description("list the model presets: provider, base-URL variable, tool calls, context length, prices")
    .option("--json", "print JSON instead of a table")
    .action((options: { json?: boolean }) => {
      if (options.json) {
        const presets = PRESETS.map(({ match, ...preset }) => ({ ...preset, match: match?.source ?? null }));
        process.stdout.write(`${JSON.stringify(presets, null, 2)}\n`);
        return;
      }
      process.stdout.write(renderPresetTable(PRESETS));
    });
}

/** The presets as an aligned text table with a notes section. */
export function renderPresetTable(presets: readonly Preset[]): string {
  const header = [
    "preset",
    "provider",
    "tool calls",
    "context",
    "$/M in",
    "$/M cached",
    "$/M out",
    "base URL (variable, default)",
  ];
  const rows = presets.map((preset) => [
    preset.id,
    preset.provider,
    preset.toolCalls === "text"
      ? `text (${preset.toolCallFormat})`
      : `native${preset.toolCallFormat ? ` (${preset.toolCallFormat})` : ""}`,
    preset.contextLength.toLocaleString("en-US"),
    ...(preset.pricing
      ? [
          price(preset.pricing.input),
          price(preset.pricing.cachedInput ?? preset.pricing.input),
          price(preset.pricing.output),
        ]
      : ["–", "–", "–"]),
    `${preset.baseUrlEnv}, ${preset.defaultBaseUrl}`,
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => (row[column] ?? "").length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  const notes = presets
    .filter((preset) => preset.notes || !preset.match)
    .map((preset) =>
      `  ${preset.id}: ${preset.match ? "" : "select with model.preset. "}${preset.notes ?? ""}`.trimEnd(),
    );
  return [
    line(header),
    ...rows.map(line),
    "",
    "A preset is chosen by model.preset or by matching the model name; every value can be overridden in the config.",
    "Notes:",
    ...notes,
    "",
  ].join("\n");
}

function price(value: number): string {
  return String(Number(value.toFixed(3)));
}
