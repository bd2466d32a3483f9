import { formatPercent } from "../score/headline.js";
import type { ScoreSummary, SectionFigures } from "../score/summary.js";

/** A percentage figure, or a dash. */
export function pct(value: number | null | undefined): string {
  return value === undefined || value === null ? "–" : formatPercent(value);
}

/** A signed percentage-point difference, or a dash. */
export function signedPct(value: number | null | undefined): string {
  return value === undefined || value === null ? "–" : `${value > 0 ? "+" : ""}${formatPercent(value)}`;
}

/** 1,234,567 → "1.23M", 45,600 → "45.6k". */
export function tokens(value: number | null | undefined): string {
  if (value === undefined || value === null) return "–";
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(2)}M`;
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k`;
  return String(value);
}

/** The splits in order, then "all splits" when there are several. */
export function sectionsOf(summary: ScoreSummary): [string, SectionFigures][] {
  const splits = Object.entries(summary.splits);
  return splits.length > 1 ? [...splits, ["all splits", summary]] : splits;
}

/** Chart colours. */
export const COLORS = {
  blue: "#2563eb",
  orange: "#ea580c",
  green: "#16a34a",
  red: "#dc2626",
  grey: "#6b7280",
  purple: "#7c3aed",
};
