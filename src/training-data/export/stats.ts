import type { Recommendation } from "../../review/report.js";

/** Why a trajectory was left out of an export. */
export type DropReason =
  | `status_${string}`
  | "no_decision"
  | "unlabeled"
  | "decision_incorrect"
  | "decision_correct"
  | "empty_patch"
  | "oversized_patch"
  | "over_cutoff"
  | "unrepresentable";

const TOKEN_BUCKETS = [8192, 16384, 32768, 65536, 131072] as const;

/**
 * Counts for the stats file written beside every export: how many trajectories each filter dropped, the decision
 * confusion over every labelled verdict (before the decision-correct filter, like the released exporter's), and
 * the token length distribution of what was kept.
 */
export class ExportStats {
  inputs = 0;
  kept = 0;
  truncated = 0;
  readonly dropped: Partial<Record<DropReason, number>> = {};
  readonly unrepresentable: string[] = [];
  readonly confusion = {
    approve_resolved: 0,
    approve_unresolved: 0,
    request_changes_resolved: 0,
    request_changes_unresolved: 0,
  };
  patchUnknown = 0;
  assistantTurns = 0;
  maskedTurns = 0;
  mergedTurns = 0;
  private readonly tokens: number[] = [];
  tokenMethod: string | undefined;

  drop(reason: DropReason, detail?: string): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
    if (detail && this.unrepresentable.length < 20) this.unrepresentable.push(detail);
  }

  verdict(decision: Recommendation, resolved: boolean): void {
    this.confusion[`${decision}_${resolved ? "resolved" : "unresolved"}`]++;
  }

  keep(turns: { assistant: number; masked: number; merged: number }, tokens?: number): void {
    this.kept++;
    this.assistantTurns += turns.assistant;
    this.maskedTurns += turns.masked;
    this.mergedTurns += turns.merged;
    if (tokens !== undefined) this.tokens.push(tokens);
  }

  toJSON(): Record<string, unknown> {
    const c = this.confusion;
    const labelled =
      c.approve_resolved + c.approve_unresolved + c.request_changes_resolved + c.request_changes_unresolved;
    const correct = c.approve_resolved + c.request_changes_unresolved;
    return {
      inputs: this.inputs,
      kept: this.kept,
      dropped: this.dropped,
      truncated: this.truncated,
      ...(this.unrepresentable.length > 0 ? { unrepresentable_examples: this.unrepresentable } : {}),
      confusion: {
        ...c,
        labelled,
        decision_accuracy: labelled === 0 ? null : Math.round((correct / labelled) * 1000) / 10,
      },
      patch_unknown: this.patchUnknown,
      turns: { assistant: this.assistantTurns, masked: this.maskedTurns, merged: this.mergedTurns },
      tokens: this.tokenSummary(),
    };
  }

  private tokenSummary(): Record<string, unknown> | null {
    if (this.tokens.length === 0) return this.tokenMethod ? { method: this.tokenMethod, count: 0 } : null;
    const sorted = [...this.tokens].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const buckets: Record<string, number> = {};
    for (const limit of TOKEN_BUCKETS) buckets[`<=${limit}`] = 0;
    buckets[`>${TOKEN_BUCKETS.at(-1)}`] = 0;
    for (const count of sorted) {
      const limit = TOKEN_BUCKETS.find((bucket) => count <= bucket);
      const key = limit === undefined ? `>${TOKEN_BUCKETS.at(-1)}` : `<=${limit}`;
      buckets[key] = (buckets[key] ?? 0) + 1;
    }
    return {
      method: this.tokenMethod,
      count: sorted.length,
      total: sorted.reduce((sum, count) => sum + count, 0),
      min: sorted[0],
      mean: Math.round(sorted.reduce((sum, count) => sum + count, 0) / sorted.length),
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: sorted.at(-1),
      histogram: buckets,
    };
  }
}
