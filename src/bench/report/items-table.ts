import { type DecisionConvention, verdictOf } from "../score/decision-metrics.js";
import { difficultyTertiles } from "../score/difficulty.js";
import { type ScoreItem, usageTokens } from "../score/item.js";
import { itemLocalisation } from "../score/localisation.js";
import { tokens } from "./format.js";
import { html, type SafeHtml } from "./html.js";

/** Outcome classes the table can be filtered by. */
type Outcome =
  | "tp"
  | "tn"
  | "fp"
  | "fn"
  | "no-verdict"
  | "missing"
  | "failed"
  | "unlabelled"
  | "resolved"
  | "unresolved";

const OUTCOME_TEXT: Record<Outcome, string> = {
  tp: "correct approve",
  tn: "correct reject",
  fp: "false approve",
  fn: "false reject",
  "no-verdict": "no verdict",
  missing: "not reviewed",
  failed: "infrastructure failure",
  unlabelled: "no label",
  resolved: "loop resolved",
  unresolved: "loop not resolved",
};

/** Every item, with its outcome and links into the run directory; filterable by text and outcome. */
export function itemsSection(items: readonly ScoreItem[], decisions: DecisionConvention): SafeHtml {
  const tertiles = difficultyTertiles(items);
  const counts = new Map<Outcome, number>();
  const rows = items.map((item) => {
    const outcome = outcomeOf(item, decisions);
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    const localisation = itemLocalisation(item);
    const loopText = item.loop
      ? `${item.loop.samples_spent}/${item.loop.budget} samples, ${item.loop.outcome ?? "–"}, ${item.loop.resolved === true ? "resolved" : item.loop.resolved === false ? "unresolved" : "unverified"}`
      : "";
    return html`<tr data-outcome="${outcome}" data-text="${`${item.instance_id} ${item.candidate_id} ${item.split}`.toLowerCase()}">
<td>${item.split}</td><td class="id">${item.instance_id}${item.candidate_id !== item.instance_id ? html`<br><small>${item.candidate_id}</small>` : ""}</td>
<td>${item.label === null ? "–" : item.label ? "yes" : "no"}</td>
<td>${item.loop ? loopText : item.decision === "other" ? `other: ${item.decision_text ?? ""}` : (item.decision ?? "–")}</td>
<td>${item.confidence === null ? "–" : item.confidence.toFixed(2)}</td>
<td class="outcome ${outcome}">${OUTCOME_TEXT[outcome]}${item.error ? html`<br><small>${item.error}</small>` : ""}</td>
<td>${tertiles.get(item.key) ?? "–"}</td>
<td>${item.defects.length}${localisation ? ` (${localisation.line_hit ? "line hit" : localisation.file_hit ? "file hit" : "miss"})` : ""}</td>
<td>${item.revision ? (item.revision.resolved === null ? "unverified" : item.revision.resolved ? "resolved" : "unresolved") : "–"}</td>
<td>${item.usage ? tokens(usageTokens(item.usage)) : "–"}</td><td>${item.steps ?? "–"}</td>
<td>${item.links.map((link) => html`<a href="${link.href}">${link.label}</a> `)}</td></tr>`;
  });
  const options = (Object.keys(OUTCOME_TEXT) as Outcome[]).filter((outcome) => counts.has(outcome));
  return html`<section id="items"><h2>Items</h2>
<div class="filters"><input id="item-filter" type="search" placeholder="filter by instance, candidate or split" aria-label="filter items">
<select id="outcome-filter" aria-label="outcome"><option value="">every outcome (${items.length})</option>${options.map((outcome) => html`<option value="${outcome}">${OUTCOME_TEXT[outcome]} (${counts.get(outcome) ?? 0})</option>`)}</select>
<span id="item-count"></span></div>
<div class="table-scroll"><table class="items"><thead><tr><th>split</th><th>instance</th><th>resolves</th><th>decision</th><th>confidence</th><th>outcome</th><th>difficulty</th><th>defects</th><th>revision</th><th>tokens</th><th>steps</th><th>files</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

function outcomeOf(item: ScoreItem, decisions: DecisionConvention): Outcome {
  if (item.status === "missing") return "missing";
  if (item.status === "failed") return "failed";
  if (item.loop) return item.loop.resolved === true ? "resolved" : "unresolved";
  if (item.label === null) return "unlabelled";
  const verdict = verdictOf(item, decisions);
  if (verdict === null) return "no-verdict";
  if (verdict === "approve") return item.label ? "tp" : "fp";
  return item.label ? "fn" : "tn";
}
