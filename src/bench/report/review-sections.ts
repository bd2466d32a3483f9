import type { Figures } from "../score/headline.js";
import type { ScoreSummary, SectionFigures } from "../score/summary.js";
import { pct, sectionsOf, signedPct } from "./format.js";
import { html, type SafeHtml } from "./html.js";

/** The paper's table per split, with the paper's figures for the same reviewer beside it, and the notes. */
export function headlineSection(summary: ScoreSummary): SafeHtml {
  const sections = sectionsOf(summary);
  const withRrr = sections.some(([, section]) => section.RRR !== undefined);
  const paper = sections.find(([, section]) => section.paper)?.[1].paper;
  const withPaper = paper !== undefined;
  const alternates = sections.flatMap(([name, section]) =>
    [
      ["released denominators", section.released_denominators],
      ["unknown decisions as failures", section.strict_decisions],
    ].flatMap(([label, figures]) => (figures ? [[name, label, figures] as [string, string, Figures]] : [])),
  );
  return html`<section id="headline"><h2>Headline</h2>
<table class="figures"><thead><tr><th>split</th><th>items</th><th>CR</th><th title="correct / produced">DA</th>
<th title="(correct + 0.5·no verdict) / total: the paper's DA">DA<sub>50</sub></th><th>FAR</th><th>FRR</th>
${withRrr ? html`<th>RRR</th><th>Δ</th><th>no review</th>` : ""}
${withPaper ? html`<th class="paper">paper CR</th><th class="paper">paper DA</th><th class="paper">paper RRR (Δ)</th>` : ""}</tr></thead>
<tbody>${sections.map(
    ([
      name,
      section,
    ]) => html`<tr><th>${name}</th><td>${section.total ?? 0}</td><td>${pct(section.CR)}</td><td>${pct(section.DA)}</td>
<td><b>${pct(section.DA_total_50)}</b></td><td>${pct(section.FAR)}</td><td>${pct(section.FRR)}</td>
${withRrr ? html`<td><b>${pct(section.RRR)}</b></td><td>${signedPct(section.delta)}</td><td>${pct(section.baseline_RR)}</td>` : ""}
${withPaper ? paperCells(section) : ""}</tr>`,
  )}</tbody></table>
<p class="convention">${conventionText(summary)}${paper ? ` Paper figures: ${paper.source}, reviewer ${paper.reviewer}.` : ""}</p>
${alternates.length > 0 ? alternatesTable(alternates) : ""}
${summary.notes && summary.notes.length > 0 ? html`<div class="notes"><h3>Notes</h3><ul>${summary.notes.map((note) => html`<li>${note}</li>`)}</ul></div>` : ""}
</section>`;
}

function paperCells(section: SectionFigures): SafeHtml {
  const paper = section.paper;
  if (!paper) return html`<td class="paper">–</td><td class="paper">–</td><td class="paper">–</td>`;
  return html`<td class="paper">${pct(paper.CR)}</td><td class="paper">${pct(paper.DA)}</td><td class="paper">${pct(paper.RRR)} (${signedPct(paper.delta)})</td>`;
}

function alternatesTable(rows: [string, string, Figures][]): SafeHtml {
  return html`<h3>The same figures under the released conventions</h3>
<table class="figures"><thead><tr><th>split</th><th>variant</th><th>total</th><th>CR</th><th>DA</th><th>DA<sub>50</sub></th><th>FAR</th><th>FRR</th><th>RRR</th><th>Δ</th></tr></thead>
<tbody>${rows.map(
    ([name, label, figures]) =>
      html`<tr><th>${name}</th><td>${label}</td><td>${figures.total}</td><td>${pct(figures.CR)}</td><td>${pct(figures.DA)}</td><td>${pct(figures.DA_total_50)}</td><td>${pct(figures.FAR)}</td><td>${pct(figures.FRR)}</td><td>${pct(figures.RRR)}</td><td>${signedPct(figures.delta)}</td></tr>`,
  )}</tbody></table>`;
}

function conventionText(summary: ScoreSummary): string {
  const decisions =
    summary.convention?.decisions === "released"
      ? "Decisions as the released code reads them: any value other than approve counts as a rejection in DA."
      : "Only approve and request_changes are decisions; anything else is a model failure.";
  return `${decisions} Every dataset item is in the denominators: an item without a review is a model failure (and keeps its original patch for RRR). Percentages are rounded as Python's round(x, 1).`;
}

/** Reviewer decision against ground truth, per split. */
export function confusionSection(summary: ScoreSummary): SafeHtml {
  return html`<section id="confusion"><h2>Confusion matrix</h2><div class="cards">${sectionsOf(summary).map(
    ([name, section]) => html`<div class="card"><h3>${name}</h3>
<table class="confusion"><thead><tr><th></th><th>resolves</th><th>does not resolve</th></tr></thead><tbody>
<tr><th>approve</th><td class="good">${section.TP ?? 0} <small>TP</small></td><td class="bad">${section.FP ?? 0} <small>FP (false approve)</small></td></tr>
<tr><th>request changes</th><td class="bad">${section.FN ?? 0} <small>FN (false reject)</small></td><td class="good">${section.TN ?? 0} <small>TN</small></td></tr>
<tr><th>no verdict</th><td colspan="2">${section.model_fail ?? 0}${section.missing ? ` (${section.missing} never reviewed)` : ""}${section.infra_fail ? ` (${section.infra_fail} infrastructure failures)` : ""}</td></tr>
</tbody></table></div>`,
  )}</div></section>`;
}
