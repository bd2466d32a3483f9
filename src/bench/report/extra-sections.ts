import type { ScoreSummary } from "../score/summary.js";
import { pct, sectionsOf } from "./format.js";
import { html, type SafeHtml } from "./html.js";

/** Do the defects point at what the gold patch changes? */
export function localisationSection(summary: ScoreSummary): SafeHtml | undefined {
  const sections = sectionsOf(summary).filter(([, section]) => section.localisation);
  if (sections.length === 0) return undefined;
  return html`<section id="localisation"><h2>Localisation</h2>
<p>Reviews with at least one located defect, against the gold patch: a file hit is a defect in a file the gold patch touches; a line hit, a defect whose lines overlap one of its hunks (either side).</p>
<table class="figures"><thead><tr><th>split</th><th>reviews</th><th>file hit</th><th>line hit</th><th>defects</th><th>defects in gold files</th><th>correct rejections: reviews</th><th>file hit</th><th>line hit</th></tr></thead><tbody>
${sections.map(([name, section]) => {
  const loc = section.localisation;
  if (!loc) return "";
  return html`<tr><th>${name}</th><td>${loc.reviews}</td><td>${pct(loc.file_hit_rate)}</td><td>${pct(loc.line_hit_rate)}</td><td>${loc.defects}</td><td>${pct(loc.defect_file_precision)}</td><td>${loc.correct_rejections.reviews}</td><td>${pct(loc.correct_rejections.file_hit_rate)}</td><td>${pct(loc.correct_rejections.line_hit_rate)}</td></tr>`;
})}</tbody></table></section>`;
}

/** DA and RRR by difficulty tertile. */
export function difficultySection(summary: ScoreSummary): SafeHtml | undefined {
  const sections = sectionsOf(summary).filter(([, section]) => section.difficulty);
  if (sections.length === 0) return undefined;
  const criterion = sections[0]?.[1].difficulty?.criterion ?? "";
  return html`<section id="difficulty"><h2>Difficulty tertiles</h2>
<p>Criterion (the paper's, reference §12.3): ${criterion}.</p>
<table class="figures"><thead><tr><th>split</th><th>tertile</th><th>items</th><th>divergence</th><th>FAIL_TO_PASS</th><th>CR</th><th>DA</th><th>DA<sub>50</sub></th><th>FAR</th><th>FRR</th><th>RRR</th></tr></thead><tbody>
${sections.map(([name, section]) =>
  (section.difficulty?.tertiles ?? [])
    .filter((tertile) => tertile.items > 0)
    .map(
      (tertile) =>
        html`<tr><th>${name}</th><td>${tertile.tertile}</td><td>${tertile.items}</td><td>${tertile.mean_divergence.toFixed(2)}</td><td>${tertile.mean_fail_to_pass ?? "–"}</td><td>${pct(tertile.CR)}</td><td>${pct(tertile.DA)}</td><td>${pct(tertile.DA_total_50)}</td><td>${pct(tertile.FAR)}</td><td>${pct(tertile.FRR)}</td><td>${pct(tertile.RRR)}</td></tr>`,
    ),
)}</tbody></table>
${sections.some(([, section]) => (section.difficulty?.unassigned ?? 0) > 0) ? html`<p class="small">Items without a gold or candidate patch have no tertile (pass SWE-bench instances with --instances to add gold patches).</p>` : ""}
</section>`;
}
