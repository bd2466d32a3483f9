import type { ScoreItem } from "../score/item.js";
import type { ScoreSummary } from "../score/summary.js";
import { calibrationSection, tokensSection, ttsSection } from "./chart-sections.js";
import { difficultySection, localisationSection } from "./extra-sections.js";
import { html, type SafeHtml, trusted } from "./html.js";
import { itemsSection } from "./items-table.js";
import { REPORT_CSS, REPORT_SCRIPT } from "./page-assets.js";
import { confusionSection, headlineSection } from "./review-sections.js";

/**
 * `report.html`: one self-contained page (inline CSS, SVG and script; nothing fetched) with the headline table
 * beside the paper's figures, the confusion matrix, TTS curves, token histograms, calibration, localisation,
 * difficulty and every item with links into the run directory (relative, so the page works where it lies).
 */
export function renderReport(summary: ScoreSummary, items: readonly ScoreItem[]): string {
  const decisions = summary.convention?.decisions ?? "strict";
  const review = summary.source.run_kind === "review";
  const sections: [string, string, SafeHtml | undefined][] = [
    ["headline", "Headline", review ? headlineSection(summary) : undefined],
    ["confusion", "Confusion", review ? confusionSection(summary) : undefined],
    ["tts", "TTS", ttsSection(summary)],
    ["tokens", "Tokens", tokensSection(summary, items, decisions)],
    ["calibration", "Calibration", calibrationSection(summary)],
    ["localisation", "Localisation", localisationSection(summary)],
    ["difficulty", "Difficulty", difficultySection(summary)],
    ["items", "Items", itemsSection(items, decisions)],
  ];
  const present = sections.filter(([, , body]) => body !== undefined);
  const source = summary.source;
  const facts: [string, string | undefined][] = [
    ["scored", source.kind === "run-dir" ? `run directory ${source.path}` : `reviews file ${source.path}`],
    ["run", source.run_id],
    ["kind", source.run_kind],
    ["reviewer", source.reviewer],
    ["mode", source.mode],
    ["dataset", source.datasets.join(", ") || undefined],
    ["revisions", source.revisions],
    ["scored at", summary.scored_at],
    ["swe-review", summary.swe_review_version],
  ];
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>swe-review bench: ${source.run_id ?? source.path}</title>
<style>${trusted(REPORT_CSS)}</style></head>
<body><header><h1>swe-review bench report</h1>
<dl>${facts.map(([label, value]) => (value ? html`<div><dt>${label}</dt><dd>${value}</dd></div>` : ""))}</dl></header>
<nav>${present.map(([id, label]) => html`<a href="#${id}">${label}</a>`)}</nav>
<main>${present.map(([, , body]) => body)}</main>
<script>${trusted(REPORT_SCRIPT)}</script></body></html>
`;
  return page.value;
}
