import { parseJsonObject } from "../../common/json-object.js";
import type { ReviewReport } from "../../review/report.js";
import type { StepEvent } from "../../trajectory/schema.js";
import { badge, escapeHtml, preBlock } from "./html.js";
import type { TrajectoryView } from "./view-model.js";

/** One trajectory: summary line, the messages and steps in order (collapsible), and the final report. */
export function renderTrajectory(view: TrajectoryView): string {
  const header = view.header;
  const usage = view.final?.usage;
  const facts = [
    badge(view.decision),
    badge(view.correctness),
    badge(view.status),
    header
      ? `<span class="muted">${escapeHtml(header.model.provider)} · ${escapeHtml(header.model.name)}</span>`
      : "",
    usage
      ? `<span class="muted">${view.steps.length} step${view.steps.length === 1 ? "" : "s"} · ${usage.promptTokens.toLocaleString("en")} prompt + ${usage.completionTokens.toLocaleString("en")} completion tokens · $${usage.costUsd.toFixed(4)}</span>`
      : "",
    view.final ? `<span class="muted">${(view.final.durationMs / 1000).toFixed(1)} s</span>` : "",
    view.truncated ? badge("last line cut off", "none") : "",
  ];
  const parts: string[] = [];
  let next = 0;
  for (const step of view.steps) {
    while (next < view.messages.length && (view.messages[next]?.beforeStep ?? 0) <= step.step) {
      parts.push(renderMessage(view.messages[next]));
      next++;
    }
    parts.push(renderStep(step));
  }
  for (; next < view.messages.length; next++) parts.push(renderMessage(view.messages[next]));
  return (
    `<section class="trajectory" id="${view.key}" data-key="${view.key}" ${filterAttributes(view)}>` +
    `<h2>${escapeHtml(view.title)}</h2><div class="summary-line">${facts.join("")}</div>` +
    `<div class="muted">${escapeHtml(view.path)}</div>` +
    parts.join("") +
    renderOutcome(view) +
    "</section>"
  );
}

export function filterAttributes(view: TrajectoryView): string {
  return `data-decision="${escapeHtml(view.decision)}" data-correct="${escapeHtml(view.correctness)}" data-status="${escapeHtml(view.status)}"`;
}

function renderMessage(message: TrajectoryView["messages"][number] | undefined): string {
  if (!message) return "";
  const open = message.kind === "task" || message.kind === "grace" ? " open" : "";
  return `<details class="message ${escapeHtml(message.kind)}"${open}><summary>${escapeHtml(message.kind)} (${escapeHtml(message.role)})</summary><div class="step-body">${preBlock(message.content)}</div></details>`;
}

function renderStep(step: StepEvent): string {
  const { response, usage, timing } = step;
  const calls = response.toolCalls.map((call) => call.name).join(", ");
  const errors = step.observations.filter((observation) => observation.isError).length;
  const title =
    `Step ${step.step}${step.grace ? " (grace turn)" : ""}: ${calls ? escapeHtml(calls) : "answer"}` +
    (errors > 0 ? ` ${badge(`${errors} error${errors > 1 ? "s" : ""}`, "incorrect")}` : "");
  const meta =
    `${usage.promptTokens.toLocaleString("en")} prompt / ${usage.completionTokens.toLocaleString("en")} completion tokens` +
    (usage.cachedTokens > 0 ? ` (${usage.cachedTokens.toLocaleString("en")} cached)` : "") +
    ` · model ${(timing.modelMs / 1000).toFixed(2)} s · tools ${(timing.toolsMs / 1000).toFixed(2)} s · ${escapeHtml(response.finishReason)}`;
  const body: string[] = [`<div class="step-meta">${meta}</div>`];
  if (response.reasoning)
    body.push(
      `<div class="reasoning"><div class="label">reasoning</div>${preBlock(response.reasoning)}</div>`,
    );
  if (response.content)
    body.push(`<div class="content"><div class="label">message</div>${preBlock(response.content)}</div>`);
  for (const call of response.toolCalls) {
    const observation = step.observations.find((item) => item.toolCallId === call.id);
    body.push(
      `<div class="call"><div class="label">call ${escapeHtml(call.name)}</div>${preBlock(prettyArguments(call.arguments))}</div>`,
    );
    if (observation) {
      body.push(
        `<div class="observation${observation.isError ? " error" : ""}"><div class="label">observation (${(observation.durationMs / 1000).toFixed(2)} s)</div>${preBlock(observation.content)}</div>`,
      );
    }
  }
  return `<details class="step"><summary>${title}</summary><div class="step-body">${body.join("")}</div></details>`;
}

/** Arguments as readable text: a JSON object laid out with its string values shown as text. */
function prettyArguments(text: string): string {
  const value = parseJsonObject(text);
  if (value === undefined) return text;
  return Object.entries(value)
    .map(
      ([key, item]) =>
        `${key}: ${typeof item === "string" && item.includes("\n") ? `\n${item}` : JSON.stringify(item)}`,
    )
    .join("\n");
}

function renderOutcome(view: TrajectoryView): string {
  const outcome = view.outcome;
  if (!outcome) {
    const finish = view.final?.finishMessage;
    const other = view.otherResult === undefined ? "" : preBlock(JSON.stringify(view.otherResult, null, 2));
    return finish || other
      ? `<div class="report"><div class="label">final message</div>${finish ? preBlock(finish) : ""}${other}</div>`
      : "";
  }
  const head = `<div class="label">review outcome</div><p>${badge(outcome.decision ?? "no decision", outcome.decision ?? "none")} <span class="muted">from ${escapeHtml(outcome.source ?? "nowhere")}${outcome.reason ? `: ${escapeHtml(outcome.reason)}` : ""}</span></p>`;
  return `<div class="report ${escapeHtml(outcome.decision ?? "none")}">${head}${outcome.report ? renderReport(outcome.report) : ""}</div>`;
}

function renderReport(report: ReviewReport): string {
  const confidence =
    report.decision.confidence === null
      ? ""
      : ` · confidence ${Math.round(report.decision.confidence * 100)}%`;
  const summary = (["problem", "solution", "overall_assessment"] as const)
    .filter((key) => report.summary[key])
    .map((key) => `<p><strong>${key.replace("_", " ")}:</strong> ${escapeHtml(report.summary[key])}</p>`)
    .join("");
  const defects =
    report.defects.length === 0
      ? '<p class="muted">No defects reported.</p>'
      : `<table class="defects"><tr><th>severity</th><th>category</th><th>location</th><th>description</th><th>suggestion</th></tr>${report.defects
          .map((defect) => {
            const location = defect.location
              ? `${defect.location.path}${defect.location.start_line === null ? "" : `:${defect.location.start_line}${defect.location.end_line === null ? "" : `-${defect.location.end_line}`}`}`
              : "";
            return `<tr><td>${escapeHtml(defect.severity)}</td><td>${escapeHtml(defect.category)}</td><td>${escapeHtml(location)}</td><td>${escapeHtml(defect.description)}</td><td>${escapeHtml(defect.suggestion)}</td></tr>`;
          })
          .join("")}</table>`;
  return `<p><strong>${escapeHtml(report.decision.recommendation.replace("_", " "))}</strong>${confidence}</p>${summary}${defects}`;
}
