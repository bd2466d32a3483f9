import { formatPercent } from "./headline.js";
import type { ScoreSummary, SectionFigures } from "./summary.js";

/** The summary as text for a terminal: the paper's table per split, then the other figures and the notes. */
export function renderScoreTable(summary: ScoreSummary): string {
  const lines: string[] = [];
  const sections = sectionRows(summary);
  if (summary.source.run_kind === "review") {
    const withRrr = sections.some(([, section]) => section.RRR !== undefined);
    const header = ["split", "items", "CR", "DA", "DA50", "FAR", "FRR", "TP", "FP", "TN", "FN", "no verdict"];
    if (withRrr) header.push("RRR", "Δ", "baseline");
    header.push("paper CR/DA/RRR");
    const rows = sections.map(([name, section]) => {
      const row = [
        name,
        String(section.total ?? 0),
        ...(["CR", "DA", "DA_total_50", "FAR", "FRR"] as const).map((key) => percent(section[key])),
        ...(["TP", "FP", "TN", "FN", "model_fail"] as const).map((key) => String(section[key] ?? 0)),
      ];
      if (withRrr) row.push(percent(section.RRR), signed(section.delta), percent(section.baseline_RR));
      row.push(
        section.paper
          ? `${percent(section.paper.CR)}/${percent(section.paper.DA)}/${percent(section.paper.RRR)}`
          : "-",
      );
      return row;
    });
    lines.push(...table([header, ...rows]), "");
    const convention = summary.convention;
    if (convention) {
      lines.push(
        `convention: ${convention.decisions === "strict" ? "only approve/request_changes are decisions (others: model failures)" : "released decisions (any other value is a rejection)"}; every dataset item in the denominators (no review = model failure). DA50 is the paper's DA.`,
      );
    }
  }
  // The other figures of the whole set (each split's are in --json and the report).
  const [extrasName, extrasSection] = sections.at(-1) ?? ["all", summary];
  lines.push(...extraLines(extrasName, extrasSection));
  if (summary.notes && summary.notes.length > 0)
    lines.push("", "notes:", ...summary.notes.map((note) => `- ${note}`));
  return `${lines.join("\n").trimStart()}\n`;
}

/** Each split, then "all" when there are several. */
function sectionRows(summary: ScoreSummary): [string, SectionFigures][] {
  const splits = Object.entries(summary.splits);
  return splits.length > 1 ? [...splits, ["all", summary]] : splits;
}

function extraLines(name: string, section: SectionFigures): string[] {
  const lines: string[] = [];
  if (section.tts) {
    lines.push(
      "",
      `${name}: TTS (${section.tts.strategies.join(", ")}, budget ${section.tts.budget}, ${section.tts.instances} instances, ${section.tts.with_loop} with a loop; the rest count as unresolved)`,
    );
    lines.push(
      ...table([
        ["k", "reviewer-gated RR", "oracle RR", "mean samples", "mean tokens", "pp/Mtok"],
        ...section.tts.points.map((point) => [
          String(point.k),
          percent(point.reviewer_gated_RR),
          percent(point.oracle_RR),
          point.mean_samples.toFixed(2),
          String(point.mean_tokens),
          point.pp_per_mtok === null ? "-" : point.pp_per_mtok.toFixed(2),
        ]),
      ]),
    );
    if (section.tts.unreported_generator_samples > 0) {
      lines.push(
        `${section.tts.unreported_generator_samples} sample(s) from a generator that reported no usage: their tokens are unknown (not counted), so pp/Mtok is not computed where they are included.`,
      );
    }
  }
  const facts: string[] = [];
  if (section.usage) {
    const usage = section.usage;
    facts.push(
      `tokens/review ${usage.mean_tokens} (median ${usage.median_tokens}), tokens/correct decision ${usage.tokens_per_correct ?? "-"}, cost/review $${usage.mean_cost_usd}, steps ${usage.mean_steps}`,
    );
  }
  if (section.localisation) {
    const loc = section.localisation;
    facts.push(
      `localisation: ${loc.reviews} reviews with located defects, file hit ${percent(loc.file_hit_rate)}%, line hit ${percent(loc.line_hit_rate)}%`,
    );
  }
  if (section.calibration) {
    facts.push(
      `calibration: ECE ${percent(section.calibration.expected_calibration_error)} pp over ${section.calibration.decisions} decisions`,
    );
  }
  if (section.difficulty) {
    facts.push(
      `difficulty DA50 easy/medium/hard: ${section.difficulty.tertiles.map((tertile) => (tertile.items > 0 ? percent(tertile.DA_total_50) : "-")).join(" / ")}`,
    );
  }
  if (facts.length > 0) lines.push("", `${name}:`, ...facts.map((fact) => `  ${fact}`));
  return lines;
}

function percent(value: number | undefined): string {
  return value === undefined ? "-" : formatPercent(value);
}

function signed(value: number | undefined): string {
  return value === undefined ? "-" : `${value > 0 ? "+" : ""}${formatPercent(value)}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}
