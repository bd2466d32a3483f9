/**
 * The paper's Table 2 (reference §12.2): CR, DA (= DA_total_50) and RRR with its gain over no review, in percent,
 * per reviewer and SWE-Review-Bench split, for agentic review with the splits' original generators revising.
 */
export interface PaperFigures {
  CR: number;
  DA: number;
  RRR: number;
  delta: number;
}

export const PAPER_SPLITS = ["glm5_500", "qwen3_coder_30b_500", "qwen3_30b_instruct2507_500"] as const;
export type PaperSplit = (typeof PAPER_SPLITS)[number];

/** No review: the splits' baseline resolve rates. */
export const PAPER_BASELINE_RR: Record<PaperSplit, number> = {
  glm5_500: 72.2,
  qwen3_coder_30b_500: 50.9,
  qwen3_30b_instruct2507_500: 27.5,
};

interface PaperReviewer {
  name: string;
  /** Matches the reviewer's model name with vendor prefixes, case and punctuation removed. */
  pattern: RegExp;
  figures: Record<PaperSplit, PaperFigures>;
}

const row = (cr: number, da: number, rrr: number, delta: number): PaperFigures => ({
  CR: cr,
  DA: da,
  RRR: rrr,
  delta,
});

const PAPER_TABLE_2: readonly PaperReviewer[] = [
  {
    name: "Claude Opus 4.6",
    pattern: /^(claude)?opus46(\d{8})?$/,
    figures: {
      glm5_500: row(100, 75.6, 75.2, 3.0),
      qwen3_coder_30b_500: row(100, 80.5, 67.3, 16.4),
      qwen3_30b_instruct2507_500: row(100, 89.4, 52.6, 25.1),
    },
  },
  {
    name: "GLM-5",
    pattern: /^glm5(fp8)?$/,
    figures: {
      glm5_500: row(98.9, 69.9, 75.0, 2.8),
      qwen3_coder_30b_500: row(97.3, 75.7, 60.0, 9.1),
      qwen3_30b_instruct2507_500: row(97.4, 86.3, 47.5, 20.0),
    },
  },
  {
    name: "Qwen3-8B",
    pattern: /^qwen38b$/,
    figures: {
      glm5_500: row(4.1, 49.0, 72.2, 0),
      qwen3_coder_30b_500: row(3.6, 49.1, 50.9, 0),
      qwen3_30b_instruct2507_500: row(3.7, 50.8, 27.5, 0),
    },
  },
  {
    name: "SWE-Review-8B",
    pattern: /^swereview8b$/,
    figures: {
      glm5_500: row(84.2, 68.7, 71.6, -0.6),
      qwen3_coder_30b_500: row(81.4, 66.9, 52.8, 1.9),
      qwen3_30b_instruct2507_500: row(71.1, 71.6, 35.1, 7.6),
    },
  },
  {
    name: "Qwen3-30B-A3B",
    pattern: /^qwen330ba3b$/,
    figures: {
      glm5_500: row(84.2, 63.2, 64.9, -7.3),
      qwen3_coder_30b_500: row(76.0, 54.5, 49.1, -1.8),
      qwen3_30b_instruct2507_500: row(76.3, 45.9, 28.2, 0.7),
    },
  },
  {
    name: "SWE-Review-30B-A3B",
    pattern: /^swereview30ba3b$/,
    figures: {
      glm5_500: row(82.0, 69.0, 72.6, 0.4),
      qwen3_coder_30b_500: row(83.1, 70.5, 53.7, 2.8),
      qwen3_30b_instruct2507_500: row(87.2, 76.5, 35.8, 8.3),
    },
  },
];

/** `hosted_vllm/SWE-Lego/SWE-Review-30B-A3B` → `swereview30ba3b`. */
export function normalizeReviewerName(name: string): string {
  return (name.split("/").at(-1) ?? name).toLowerCase().replace(/[^a-z0-9]+/g, "");
}

/** The paper's name for a reviewer model, when Table 2 has it. */
export function paperReviewerName(reviewer: string | undefined): string | undefined {
  if (!reviewer) return undefined;
  const key = normalizeReviewerName(reviewer);
  return PAPER_TABLE_2.find((entry) => entry.pattern.test(key))?.name;
}

/** Table 2's figures for a reviewer on a split, when known. */
export function paperFigures(reviewer: string | undefined, split: string): PaperFigures | undefined {
  if (!reviewer || !isPaperSplit(split)) return undefined;
  const key = normalizeReviewerName(reviewer);
  return PAPER_TABLE_2.find((entry) => entry.pattern.test(key))?.figures[split];
}

export function isPaperSplit(split: string): split is PaperSplit {
  return (PAPER_SPLITS as readonly string[]).includes(split);
}
