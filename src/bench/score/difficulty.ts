import { type Convention, type DecisionFigures, decisionFigures } from "./decision-metrics.js";
import type { ScoreItem } from "./item.js";
import { patchFileSet } from "./patch-footprint.js";
import { pythonRound } from "./python-round.js";
import { type RevisionFigures, revisionFigures } from "./revision-metrics.js";

export const TERTILES = ["easy", "medium", "hard"] as const;
export type Tertile = (typeof TERTILES)[number];

/**
 * The paper's post-hoc difficulty criterion (reference §12.3): file-level divergence of the candidate from the gold
 * patch (1 − Jaccard similarity of the files they touch) and the number of FAIL_TO_PASS tests. Each is turned into
 * a percentile rank among the scored items and the two ranks are averaged; items sorted by that score are cut into
 * three equal tertiles (ties broken by candidate id).
 */
export interface DifficultyFigures {
  criterion: string;
  /** Items with both patches known (and so a tertile). */
  assigned: number;
  unassigned: number;
  tertiles: TertileFigures[];
}

export type TertileFigures = DecisionFigures &
  Partial<RevisionFigures> & {
    tertile: Tertile;
    items: number;
    mean_divergence: number;
    mean_fail_to_pass: number | null;
  };

interface Scored {
  item: ScoreItem;
  divergence: number;
  failToPass: number | undefined;
}

/** Each item's tertile, by key; items without a candidate or gold patch have none. */
export function difficultyTertiles(items: readonly ScoreItem[]): Map<string, Tertile> {
  const scored: Scored[] = items.flatMap((item) =>
    item.candidate_patch !== undefined && item.gold_patch
      ? [
          {
            item,
            divergence: fileDivergence(item.candidate_patch, item.gold_patch),
            failToPass: item.fail_to_pass,
          },
        ]
      : [],
  );
  const withTests = scored.every((row) => row.failToPass !== undefined);
  const divergenceRank = percentileRanks(scored.map((row) => row.divergence));
  const testRank = withTests ? percentileRanks(scored.map((row) => row.failToPass ?? 0)) : undefined;
  const order = scored
    .map((row, index) => ({
      row,
      score: testRank
        ? ((divergenceRank[index] ?? 0) + (testRank[index] ?? 0)) / 2
        : (divergenceRank[index] ?? 0),
    }))
    .sort((a, b) => a.score - b.score || compare(a.row.item.candidate_id, b.row.item.candidate_id));
  const tertiles = new Map<string, Tertile>();
  order.forEach(({ row }, index) => {
    tertiles.set(row.item.key, TERTILES[Math.min(2, Math.floor((index * 3) / order.length))] ?? "hard");
  });
  return tertiles;
}

/** Headline figures per difficulty tertile, or undefined when no item has both patches. */
export function difficultyFigures(
  items: readonly ScoreItem[],
  convention: Convention,
  revisions: boolean,
  /** Tertiles ranked over a larger set (all splits), so a split's tertiles are the overall ones. */
  ranked: ReadonlyMap<string, Tertile> = difficultyTertiles(items),
): DifficultyFigures | undefined {
  const tertiles = new Map(
    items.flatMap((item) => {
      const tertile = ranked.get(item.key);
      return tertile ? [[item.key, tertile] as const] : [];
    }),
  );
  if (tertiles.size === 0) return undefined;
  const withTests = items.every((item) => !tertiles.has(item.key) || item.fail_to_pass !== undefined);
  return {
    criterion: withTests
      ? "mean percentile rank of candidate-vs-gold file divergence and FAIL_TO_PASS test count"
      : "percentile rank of candidate-vs-gold file divergence (FAIL_TO_PASS counts unknown for some items)",
    assigned: tertiles.size,
    unassigned: items.length - tertiles.size,
    tertiles: TERTILES.map((tertile) => {
      const group = items.filter((item) => tertiles.get(item.key) === tertile);
      const divergences = group.map((item) =>
        fileDivergence(item.candidate_patch ?? "", item.gold_patch ?? ""),
      );
      const tests = group.flatMap((item) => (item.fail_to_pass === undefined ? [] : [item.fail_to_pass]));
      return {
        tertile,
        items: group.length,
        mean_divergence: pythonRound(mean(divergences) ?? 0, 3),
        mean_fail_to_pass: tests.length > 0 ? pythonRound(mean(tests) ?? 0, 2) : null,
        ...decisionFigures(group, convention),
        ...(revisions ? revisionFigures(group, convention.denominators) : {}),
      };
    }),
  };
}

/** 1 − |C ∩ G| / |C ∪ G| over the files the candidate (C) and gold (G) patches touch; 1 for an empty candidate. */
export function fileDivergence(candidate: string, gold: string): number {
  const a = patchFileSet(candidate);
  const b = patchFileSet(gold);
  const union = new Set([...a, ...b]);
  if (union.size === 0) return 0;
  const shared = [...a].filter((path) => b.has(path)).length;
  return 1 - shared / union.size;
}

/** Mid-rank percentile of each value among all (0–1; ties share a rank). */
function percentileRanks(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return values.map((value) => {
    const below = sorted.filter((other) => other < value).length;
    const equal = sorted.filter((other) => other === value).length;
    return values.length > 0 ? (below + (equal - 1) / 2) / values.length : 0;
  });
}

function mean(values: readonly number[]): number | undefined {
  return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
