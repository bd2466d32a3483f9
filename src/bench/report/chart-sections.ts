import { type DecisionConvention, verdictOf } from "../score/decision-metrics.js";
import { type ScoreItem, usageTokens } from "../score/item.js";
import type { ScoreSummary } from "../score/summary.js";
import { reviewUsageItems } from "../score/usage-metrics.js";
import { COLORS, pct, sectionsOf, tokens } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { barChart, lineChart } from "./svg-charts.js";

/** Reviewer-gated and oracle RR@k and samples spent, per split (loop runs). */
export function ttsSection(summary: ScoreSummary): SafeHtml | undefined {
  const sections = sectionsOf(summary).filter(([, section]) => section.tts);
  if (sections.length === 0) return undefined;
  return html`<section id="tts"><h2>Test-time scaling</h2>
<p>RR@k: resolve rate of the patch in force after k samples (the approved one, else the latest); oracle: some sample among the first k resolves. Every dataset item is in the denominator.</p>
<div class="cards">${sections.map(([name, section]) => {
    const tts = section.tts;
    if (!tts) return "";
    return html`<div class="card"><h3>${name} <small>${tts.strategies.join(", ")} · budget ${tts.budget} · ${tts.instances} instances</small></h3>
${lineChart({
  title: `RR@k, ${name}`,
  xLabel: "samples (k)",
  yLabel: "resolve rate (%)",
  series: [
    {
      name: "reviewer-gated RR@k",
      color: COLORS.blue,
      points: tts.points.map((p) => [p.k, p.reviewer_gated_RR]),
    },
    {
      name: "oracle RR@k",
      color: COLORS.orange,
      dashed: true,
      points: tts.points.map((p) => [p.k, p.oracle_RR]),
    },
  ],
})}
${lineChart({
  title: `Mean samples spent, ${name}`,
  xLabel: "budget (k)",
  yLabel: "mean samples",
  series: [
    { name: "mean samples spent", color: COLORS.green, points: tts.points.map((p) => [p.k, p.mean_samples]) },
  ],
})}
<table class="figures"><thead><tr><th>k</th><th>RR@k</th><th>oracle</th><th>mean samples</th><th>mean tokens</th><th>pp/Mtok</th></tr></thead><tbody>
${tts.points.map((p) => html`<tr><td>${p.k}</td><td>${pct(p.reviewer_gated_RR)}</td><td>${pct(p.oracle_RR)}</td><td>${p.mean_samples.toFixed(2)}</td><td>${tokens(p.mean_tokens)}</td><td>${p.pp_per_mtok === null ? "–" : p.pp_per_mtok.toFixed(2)}</td></tr>`)}
</tbody></table>
<p class="small">Submitted candidates resolve ${pct(tts.submitted_RR)}%. ${tts.unverified_samples > 0 ? `${tts.unverified_samples} sample(s) were not verified and count as unresolved.` : ""} ${tts.unreported_generator_samples > 0 ? `${tts.unreported_generator_samples} sample(s) came from a generator that reported no usage: their tokens are unknown, and pp/Mtok is not computed where they are included.` : ""}</p></div>`;
  })}</div></section>`;
}

/** Histogram of tokens per review (log-spaced bins), split by whether the decision was right. */
export function tokensSection(
  summary: ScoreSummary,
  items: readonly ScoreItem[],
  decisions: DecisionConvention,
): SafeHtml | undefined {
  const reviews = reviewUsageItems(items);
  if (reviews.length === 0) return undefined;
  const values = reviews.map((item) => (item.usage ? usageTokens(item.usage) : 0));
  const edges = logEdges(Math.max(1, Math.min(...values)), Math.max(1, ...values), 10);
  const bin = (value: number) =>
    Math.min(
      edges.length - 2,
      Math.max(
        0,
        edges.findLastIndex((edge) => value >= edge),
      ),
    );
  const counts = {
    correct: edges.slice(1).map(() => 0),
    wrong: edges.slice(1).map(() => 0),
    none: edges.slice(1).map(() => 0),
  };
  reviews.forEach((item, index) => {
    const verdict = verdictOf(item, decisions);
    const kind =
      verdict === null || item.label === null
        ? "none"
        : (verdict === "approve") === item.label
          ? "correct"
          : "wrong";
    const row = counts[kind];
    const slot = bin(values[index] ?? 0);
    row[slot] = (row[slot] ?? 0) + 1;
  });
  const labels = edges.slice(0, -1).map((edge) => `≥${tokens(Math.round(edge))}`);
  return html`<section id="tokens"><h2>Tokens and cost</h2>
${barChart({
  title: "Tokens per review",
  labels,
  xLabel: "tokens per review (log-spaced bins)",
  yLabel: "reviews",
  series: [
    { name: "correct decision", color: COLORS.green, values: counts.correct },
    { name: "wrong decision", color: COLORS.red, values: counts.wrong },
    { name: "no verdict", color: COLORS.grey, values: counts.none },
  ],
})}
<table class="figures"><thead><tr><th>split</th><th>reviews</th><th>tokens/review</th><th>median</th><th>tokens/correct</th><th>correct vs wrong</th><th>cost/review</th><th>cost/correct</th><th>steps</th><th>seconds</th></tr></thead><tbody>
${sectionsOf(summary).map(([name, section]) => {
  const usage = section.usage;
  if (!usage) return "";
  return html`<tr><th>${name}</th><td>${usage.reviews}</td><td>${tokens(usage.mean_tokens)}</td><td>${tokens(usage.median_tokens)}</td><td>${tokens(usage.tokens_per_correct)}</td><td>${tokens(usage.mean_tokens_correct)} / ${tokens(usage.mean_tokens_incorrect)}</td><td>$${usage.mean_cost_usd.toFixed(4)}</td><td>${usage.cost_per_correct_usd === null ? "–" : `$${usage.cost_per_correct_usd.toFixed(4)}`}</td><td>${usage.mean_steps}</td><td>${usage.mean_seconds}</td></tr>`;
})}</tbody></table></section>`;
}

/** Accuracy by the reviewer's confidence. */
export function calibrationSection(summary: ScoreSummary): SafeHtml | undefined {
  const sections = sectionsOf(summary).filter(([, section]) => section.calibration);
  if (sections.length === 0) return undefined;
  return html`<section id="calibration"><h2>Confidence calibration</h2><div class="cards">${sections.map(
    ([name, section]) => {
      const calibration = section.calibration;
      if (!calibration) return "";
      const labels = calibration.buckets.map(
        (bucket) => `${bucket.lower.toFixed(1)}–${bucket.upper.toFixed(1)}`,
      );
      return html`<div class="card"><h3>${name} <small>ECE ${pct(calibration.expected_calibration_error)} pp · ${calibration.decisions} decisions${calibration.without_confidence ? ` · ${calibration.without_confidence} without confidence` : ""}</small></h3>
${barChart({
  title: `Calibration, ${name}`,
  labels,
  xLabel: "stated confidence",
  yLabel: "%",
  yMax: 100,
  series: [
    {
      name: "accuracy",
      color: COLORS.blue,
      values: calibration.buckets.map((bucket) => bucket.accuracy ?? 0),
    },
    {
      name: "mean confidence ×100",
      color: COLORS.purple,
      values: calibration.buckets.map((bucket) => (bucket.mean_confidence ?? 0) * 100),
    },
  ],
})}
<table class="figures"><thead><tr><th>confidence</th><th>decisions</th><th>accuracy</th><th>mean confidence</th></tr></thead><tbody>
${calibration.buckets.map((bucket, index) => html`<tr><td>${labels[index]}</td><td>${bucket.decisions}</td><td>${pct(bucket.accuracy)}</td><td>${bucket.mean_confidence === null ? "–" : bucket.mean_confidence.toFixed(3)}</td></tr>`)}
</tbody></table></div>`;
    },
  )}</div></section>`;
}

/** `count + 1` edges spaced evenly in log scale from min to max. */
function logEdges(min: number, max: number, count: number): number[] {
  if (max <= min) return [min, min + 1];
  const low = Math.log10(min);
  const step = (Math.log10(max) - low) / count;
  return Array.from({ length: count + 1 }, (_, index) => 10 ** (low + step * index));
}
