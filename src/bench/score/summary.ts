import { VERSION } from "../../version.js";
import { type CalibrationFigures, calibrationFigures } from "./calibration.js";
import type { DecisionConvention } from "./decision-metrics.js";
import { type DifficultyFigures, difficultyFigures, difficultyTertiles, type Tertile } from "./difficulty.js";
import { type Headline, headline } from "./headline.js";
import type { ScoreItem } from "./item.js";
import { type LocalisationFigures, localisationFigures } from "./localisation.js";
import { type PaperFigures, paperFigures, paperReviewerName } from "./paper-figures.js";
import { type TtsFigures, ttsFigures } from "./tts-metrics.js";
import { type UsageFigures, usageFigures } from "./usage-metrics.js";

/** What was scored. */
export interface ScoreSource {
  kind: "run-dir" | "reviews";
  /** The run directory or reviews file. */
  path: string;
  datasets: string[];
  /** `review` (a reviewer's decisions) or `tts` (loops); from run.json, or inferred. */
  run_kind: "review" | "tts" | "verify";
  run_id?: string;
  reviewer?: string;
  mode?: string;
  /** Where revision outcomes came from, when there are any. */
  revisions?: string;
}

/** The figures of one split, or of all of them. Review figures are flat (the paper's table); the rest beside. */
export type SectionFigures = Partial<Headline> & {
  paper?: PaperFigures & { reviewer: string; source: string };
  tts?: TtsFigures;
  localisation?: LocalisationFigures;
  difficulty?: DifficultyFigures;
  usage?: UsageFigures;
  calibration?: CalibrationFigures;
};

/** `summary.json`: the figures over every split, what was scored, and the figures of each split. */
export type ScoreSummary = SectionFigures & {
  /** The swe-review version that scored it. */
  swe_review_version: string;
  /** ISO 8601 time of scoring. */
  scored_at: string;
  source: ScoreSource;
  /** Split name → that split's figures. */
  splits: Record<string, SectionFigures>;
};

/** How `buildScoreSummary` computes the figures. */
export interface SummaryOptions {
  source: ScoreSource;
  /** `strict` (ours: only approve/request_changes are decisions) or `released` (the released code's reading). */
  decisions: DecisionConvention;
  /** Whether revision outcomes were given (RRR is computed then). */
  revisions: boolean;
  /** Sentences from reading the inputs (results outside the dataset, duplicates, …), added to the overall notes. */
  notes?: readonly string[];
  /** The time recorded as `scored_at`; default now. */
  now?: Date;
}

/** Scores the items: overall and per split. Pure: the same items give the same summary. */
export function buildScoreSummary(items: readonly ScoreItem[], options: SummaryOptions): ScoreSummary {
  const splitNames = [...new Set(items.map((item) => item.split))].sort();
  const tertiles = difficultyTertiles(items);
  const overall = sectionFigures(
    items,
    options,
    tertiles,
    splitNames.length === 1 ? splitNames[0] : undefined,
  );
  overall.notes = [...(options.notes ?? []), ...(overall.notes ?? [])];
  return {
    swe_review_version: VERSION,
    scored_at: (options.now ?? new Date()).toISOString(),
    source: options.source,
    ...overall,
    splits: Object.fromEntries(
      splitNames.map((split) => [
        split,
        sectionFigures(
          items.filter((item) => item.split === split),
          options,
          tertiles,
          split,
        ),
      ]),
    ),
  };
}

function sectionFigures(
  items: readonly ScoreItem[],
  options: SummaryOptions,
  tertiles: ReadonlyMap<string, Tertile>,
  split: string | undefined,
): SectionFigures {
  const convention = { decisions: options.decisions, denominators: "dataset" } as const;
  const section: SectionFigures = {};
  if (options.source.run_kind === "review") {
    Object.assign(section, headline(items, { decisions: options.decisions, revisions: options.revisions }));
    const paperName = paperReviewerName(options.source.reviewer);
    const paper = split ? paperFigures(options.source.reviewer, split) : undefined;
    if (paper && paperName) {
      section.paper = {
        ...paper,
        reviewer: paperName,
        source: "paper Table 2 (agentic review; DA = DA_total_50)",
      };
    }
  }
  const extras = {
    tts: ttsFigures(items),
    localisation: localisationFigures(items, convention),
    difficulty:
      options.source.run_kind === "review"
        ? difficultyFigures(items, convention, options.revisions, tertiles)
        : undefined,
    usage: usageFigures(items, options.decisions),
    calibration: calibrationFigures(items, options.decisions),
  };
  for (const [key, value] of Object.entries(extras)) {
    if (value !== undefined) Object.assign(section, { [key]: value });
  }
  return section;
}
