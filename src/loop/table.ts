import type { UsageRecord } from "../model/usage-record.js";
import { formatSeconds, formatTokens } from "../review/render.js";
import type { LoopRecord } from "./records.js";

/** The per-round table `swe-review loop` prints. */
export function renderLoopTable(record: LoopRecord): string {
  const rows = [
    ["sample", "kind", "patch", "review", "confidence", "gen tokens", "review tokens", "resolved"],
  ];
  for (const sample of record.samples) {
    const tokens = (usage: UsageRecord) => formatTokens(usage.prompt_tokens + usage.completion_tokens);
    rows.push([
      String(sample.sample),
      sample.kind,
      `${(sample.patch_bytes / 1024).toFixed(1)} KB`,
      sample.review ? (sample.review.decision ?? "no verdict") : "-",
      sample.review?.confidence === null || sample.review?.confidence === undefined
        ? "-"
        : sample.review.confidence.toFixed(2),
      sample.generation.usage_report?.source === "not_reported"
        ? "not reported"
        : tokens(sample.generation.usage),
      sample.review ? tokens(sample.review.usage) : "-",
      sample.resolved === undefined
        ? "-"
        : sample.resolved === null
          ? "error"
          : sample.resolved
            ? "yes"
            : "no",
    ]);
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  const totalTokens =
    record.tokens.generator.prompt_tokens +
    record.tokens.generator.completion_tokens +
    record.tokens.reviewer.prompt_tokens +
    record.tokens.reviewer.completion_tokens;
  const cost = record.tokens.generator.cost_usd + record.tokens.reviewer.cost_usd;
  const submitted = record.submitted === null ? "nothing submitted" : `submitted sample ${record.submitted}`;
  const resolved =
    record.resolved === undefined
      ? ""
      : ` · resolved: ${record.resolved === null ? "error" : record.resolved ? "yes" : "no"}`;
  const unreported =
    record.tokens.generator_usage === "not_reported"
      ? " (the generator's not reported)"
      : record.tokens.generator_usage === "partly_reported"
        ? " (the generator's partly reported)"
        : "";
  lines.push(
    "",
    `${record.strategy}: ${submitted} (${record.outcome}) · samples spent ${record.samples_spent}/${record.budget} · reviewer calls ${record.reviewer_calls} · ${formatTokens(totalTokens)} tokens${unreported}${cost > 0 ? ` · $${cost.toFixed(2)}` : ""} · ${formatSeconds(record.seconds)}${resolved}`,
  );
  return `${lines.join("\n")}\n`;
}
