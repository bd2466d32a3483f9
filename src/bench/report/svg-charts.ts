import { html, type SafeHtml } from "./html.js";

/** Charts drawn as inline SVG (no script, no network): lines over k, and grouped bars. */

export interface Series {
  name: string;
  /** CSS colour. */
  color: string;
  points: readonly (readonly [number, number])[];
  dashed?: boolean;
}

const WIDTH = 560;
const HEIGHT = 280;
const PAD = { left: 52, right: 16, top: 16, bottom: 44 };

/** A line chart with markers; x is integral (k), y runs from 0 to yMax (default: the data's, rounded up). */
export function lineChart(options: {
  title: string;
  series: readonly Series[];
  xLabel: string;
  yLabel: string;
  yMax?: number;
}): SafeHtml {
  const xs = options.series.flatMap((series) => series.points.map(([x]) => x));
  const ys = options.series.flatMap((series) => series.points.map(([, y]) => y));
  const xMin = Math.min(...xs, 1);
  const xMax = Math.max(...xs, xMin + 1);
  const yMax = options.yMax ?? niceCeiling(Math.max(...ys, 1));
  const x = (value: number) => PAD.left + ((value - xMin) / (xMax - xMin)) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => HEIGHT - PAD.bottom - (value / yMax) * (HEIGHT - PAD.top - PAD.bottom);
  const xTicks = integerTicks(xMin, xMax);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * yMax);
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}">
  <title>${options.title}</title>
  ${axes(
    xTicks.map((tick) => [x(tick), String(tick)] as const),
    yTicks.map((tick) => [y(tick), format(tick)] as const),
    options.xLabel,
    options.yLabel,
  )}
  ${options.series.map(
    (
      series,
    ) => html`<polyline fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? html` stroke-dasharray="6 4"` : ""} points="${series.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ")}"/>
  ${series.points.map(([px, py]) => html`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3.5" fill="${series.color}"><title>${series.name} at ${px}: ${format(py)}</title></circle>`)}`,
  )}
</svg>${legend(options.series)}`;
}

/** Grouped bars: one group per label, one bar per series. */
export function barChart(options: {
  title: string;
  labels: readonly string[];
  series: readonly { name: string; color: string; values: readonly number[] }[];
  xLabel: string;
  yLabel: string;
  yMax?: number;
}): SafeHtml {
  const values = options.series.flatMap((series) => series.values);
  const yMax = options.yMax ?? niceCeiling(Math.max(...values, 1));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const groupWidth = plotWidth / Math.max(1, options.labels.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, options.series.length);
  const y = (value: number) => HEIGHT - PAD.bottom - (value / yMax) * (HEIGHT - PAD.top - PAD.bottom);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * yMax);
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}">
  <title>${options.title}</title>
  ${axes(
    options.labels.map((label, index) => [PAD.left + groupWidth * (index + 0.5), label] as const),
    yTicks.map((tick) => [y(tick), format(tick)] as const),
    options.xLabel,
    options.yLabel,
  )}
  ${options.labels.map((label, group) =>
    options.series.map((series, index) => {
      const value = series.values[group] ?? 0;
      const left = PAD.left + groupWidth * group + groupWidth * 0.1 + barWidth * index;
      return html`<rect x="${left.toFixed(1)}" y="${y(value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(HEIGHT - PAD.bottom - y(value)).toFixed(1)}" fill="${series.color}"><title>${series.name}, ${label}: ${format(value)}</title></rect>`;
    }),
  )}
</svg>${legend(options.series)}`;
}

function axes(
  xTicks: readonly (readonly [number, string])[],
  yTicks: readonly (readonly [number, string])[],
  xLabel: string,
  yLabel: string,
): SafeHtml {
  const bottom = HEIGHT - PAD.bottom;
  return html`<g class="axes">
  <line x1="${PAD.left}" y1="${bottom}" x2="${WIDTH - PAD.right}" y2="${bottom}"/>
  <line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${bottom}"/>
  ${yTicks.map(([position, label]) => html`<line class="grid" x1="${PAD.left}" y1="${position.toFixed(1)}" x2="${WIDTH - PAD.right}" y2="${position.toFixed(1)}"/><text x="${PAD.left - 6}" y="${(position + 4).toFixed(1)}" text-anchor="end">${label}</text>`)}
  ${xTicks.map(([position, label]) => html`<text x="${position.toFixed(1)}" y="${bottom + 16}" text-anchor="middle">${label}</text>`)}
  <text x="${(PAD.left + WIDTH - PAD.right) / 2}" y="${HEIGHT - 6}" text-anchor="middle" class="axis-label">${xLabel}</text>
  <text x="14" y="${(PAD.top + bottom) / 2}" text-anchor="middle" class="axis-label" transform="rotate(-90 14 ${(PAD.top + bottom) / 2})">${yLabel}</text>
</g>`;
}

function legend(series: readonly { name: string; color: string }[]): SafeHtml {
  return html`<div class="legend">${series.map((item) => html`<span><i style="background:${item.color}"></i>${item.name}</span>`)}</div>`;
}

function integerTicks(min: number, max: number): number[] {
  const step = Math.max(1, Math.ceil((max - min) / 10));
  const ticks: number[] = [];
  for (let tick = Math.ceil(min); tick <= max; tick += step) ticks.push(tick);
  return ticks;
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? value;
}

function format(value: number): string {
  if (Math.abs(value) >= 1_000_000) return `${pretty(value / 1_000_000)}M`;
  if (Math.abs(value) >= 10_000) return `${pretty(value / 1000)}k`;
  return pretty(value);
}

function pretty(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1).replace(/\.?0+$/, "");
}
