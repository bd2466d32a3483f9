import { VERSION } from "../../version.js";
import { VIEWER_CSS, VIEWER_SCRIPT } from "./assets.js";
import { badge, escapeHtml } from "./html.js";
import { filterAttributes, renderTrajectory } from "./render-trajectory.js";
import type { TrajectoryView } from "./view-model.js";

/**
 * One self-contained HTML page (no external requests): for a run, an index of its instances with filters by
 * decision, correctness and status, then every trajectory.
 */
export function renderViewerPage(title: string, views: readonly TrajectoryView[]): string {
  const index = views.length > 1 ? renderIndex(views) : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${VIEWER_CSS}</style></head>
<body><header class="page"><h1>${escapeHtml(title)}</h1><div class="muted">${views.length} trajector${views.length === 1 ? "y" : "ies"} · swe-review ${escapeHtml(VERSION)}</div></header>
<main>${index}<p><button id="expand-all" type="button">Expand all</button></p>${views.map(renderTrajectory).join("\n")}</main>
<script>${VIEWER_SCRIPT}</script></body></html>
`;
}

function renderIndex(views: readonly TrajectoryView[]): string {
  const options = (name: string, values: string[]) =>
    `<label>${name} <select data-filter="${name === "correct" ? "correct" : name}"><option value="">all</option>${[
      ...new Set(values),
    ]
      .sort()
      .map((value) => `<option value="${escapeHtml(value)}">${escapeHtml(value)}</option>`)
      .join("")}</select></label>`;
  const rows = views
    .map((view) => {
      const usage = view.final?.usage;
      return `<tr data-key="${view.key}" ${filterAttributes(view)}><td><a href="#${view.key}">${escapeHtml(view.title)}</a></td><td>${badge(view.decision)}</td><td>${badge(view.correctness)}</td><td>${badge(view.status)}</td><td>${view.steps.length}</td><td>${usage ? (usage.promptTokens + usage.completionTokens).toLocaleString("en") : ""}</td></tr>`;
    })
    .join("");
  return (
    `<div class="filters">${options(
      "decision",
      views.map((v) => v.decision),
    )}${options(
      "correct",
      views.map((v) => v.correctness),
    )}${options(
      "status",
      views.map((v) => v.status),
    )}` +
    `<span class="muted"><span id="shown-count">${views.length}</span> shown</span></div>` +
    `<table class="index"><thead><tr><th>instance</th><th>decision</th><th>correct</th><th>status</th><th>steps</th><th>tokens</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}
