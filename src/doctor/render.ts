import type { CheckResult } from "./check.js";
import type { InstanceReadiness } from "./dataset-checks.js";

const MARK = { ok: "✓", warn: "!", fail: "✗", skip: "-" } as const;

/** One check as lines of text: a mark, the title, what was found, and the fix when there is one. */
export function renderCheck(result: CheckResult, titleWidth = 18): string {
  const head = `${MARK[result.status]} ${result.title.padEnd(titleWidth)} ${result.summary}`;
  return result.fix ? `${head}\n  ${" ".repeat(titleWidth)} fix: ${result.fix}\n` : `${head}\n`;
}

/** The closing line: how many problems and warnings. */
export function renderVerdict(results: readonly CheckResult[]): string {
  const failed = results.filter((result) => result.status === "fail").length;
  const warned = results.filter((result) => result.status === "warn").length;
  if (failed === 0 && warned === 0) return "All checks passed.\n";
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return `${plural(failed, "problem")}, ${plural(warned, "warning")}.\n`;
}

const INSTANCE_MARK = { ready: "✓", needs_network: "!", blocked: "✗" } as const;

/**
 * One instance of `doctor --dataset`: a mark, the id, and what it lacks or needs first; with `--sandbox docker`, a
 * ready instance names its image too.
 */
export function renderInstance(item: InstanceReadiness): string {
  const what =
    item.reasons.length > 0 ? item.reasons.join("; ") : item.image ? `image ${item.image.name} ready` : "";
  return `${INSTANCE_MARK[item.status]} ${item.instance_id}${what ? `: ${what}` : ""}\n`;
}
