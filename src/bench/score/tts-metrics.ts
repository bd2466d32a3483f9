import type { LoopRecord, SampleRecord } from "../../loop/records.js";
import { type UsageRecord, usageOf } from "../../model/usage-record.js";
import { type ScoreItem, usageTokens } from "./item.js";
import { pythonRound } from "./python-round.js";

/** The test-time-scaling figures at a budget of k samples (reference §8.2). Rates are percentages. */
export interface TtsPoint {
  k: number;
  /** Resolve rate of the patch in force after k samples: the approved one, else the latest (the paper's RR). */
  reviewer_gated_RR: number;
  /** Share of instances with a resolving patch among their first k samples (oracle cumulative RR, Pass@k). */
  oracle_RR: number;
  /** Mean generations made with a budget of k (reviews are not samples). */
  mean_samples: number;
  /** Mean tokens (generator and reviewer) of the samples and reviews made up to sample k. */
  mean_tokens: number;
  /**
   * (RR@k − RR@1) per million mean tokens, in percentage points (Table 14); null without tokens, or when a generator
   * up to k did not report its usage (see `unreported_generator_samples`): an incomplete count would flatter it.
   */
  pp_per_mtok: number | null;
}

export interface TtsFigures {
  strategies: string[];
  /** Items counted in the rates (every dataset item; one without a loop counts as unresolved). */
  instances: number;
  /** Items with a loop record (the means of samples and tokens are over these). */
  with_loop: number;
  budget: number;
  /** Samples whose verification did not run or failed: counted as not resolving. */
  unverified_samples: number;
  /**
   * Samples whose generator (an external CLI) reported no usage: their generator tokens are unknown, not 0, so
   * `mean_tokens` counts only what was reported and `pp_per_mtok` is null from the first k that includes one.
   */
  unreported_generator_samples: number;
  /** Resolve rate of the submitted candidates, as the loops recorded it. */
  submitted_RR: number;
  points: TtsPoint[];
}

/** TTS curves of the items that ran a loop, or undefined when none did. */
export function ttsFigures(items: readonly ScoreItem[]): TtsFigures | undefined {
  const loops = items.flatMap((item) => (item.loop ? [item.loop] : []));
  if (loops.length === 0) return undefined;
  const budget = Math.max(...loops.map((loop) => loop.budget));
  const instances = items.length;
  const rate = (count: number) => (instances > 0 ? pythonRound((count / instances) * 100, 1) : 0);
  const mean = (sum: number) => sum / loops.length;
  const ordered = loops.map((loop) => [...loop.samples].sort((a, b) => a.sample - b.sample));
  const points: TtsPoint[] = [];
  const gatedShares: number[] = [];
  const complete: boolean[] = [];
  for (let k = 1; k <= budget; k += 1) {
    const made = ordered.map((samples) => samples.filter((sample) => sample.sample <= k));
    const gated = made.filter((samples) => inForce(samples)?.resolved === true).length;
    const oracle = made.filter((samples) => samples.some((sample) => sample.resolved === true)).length;
    gatedShares.push(instances > 0 ? gated / instances : 0);
    complete.push(made.every((samples) => samples.every((sample) => !isUnreported(sample))));
    const samplesSpent = mean(made.reduce((sum, samples) => sum + samples.length, 0));
    const tokens = mean(
      made.reduce((sum, samples) => sum + samples.reduce((t, s) => t + sampleTokens(s), 0), 0),
    );
    points.push({
      k,
      reviewer_gated_RR: rate(gated),
      oracle_RR: rate(oracle),
      mean_samples: pythonRound(samplesSpent, 2),
      mean_tokens: Math.round(tokens),
      pp_per_mtok: null,
    });
  }
  const first = gatedShares[0] ?? 0;
  points.forEach((point, index) => {
    const gain = ((gatedShares[index] ?? 0) - first) * 100;
    point.pp_per_mtok =
      point.mean_tokens > 0 && complete[index] ? pythonRound(gain / (point.mean_tokens / 1e6), 2) : null;
  });
  return {
    strategies: [...new Set(loops.map((loop: LoopRecord) => loop.strategy))].sort(),
    instances,
    with_loop: loops.length,
    budget,
    unverified_samples: ordered
      .flat()
      .filter((sample) => sample.resolved !== true && sample.resolved !== false).length,
    unreported_generator_samples: ordered.flat().filter(isUnreported).length,
    submitted_RR: rate(loops.filter((loop) => loop.resolved === true).length),
    points,
  };
}

/** The sample in force: the first approved one, else the latest one made. */
function inForce(samples: readonly SampleRecord[]): SampleRecord | undefined {
  return samples.find((sample) => sample.review?.decision === "approve") ?? samples.at(-1);
}

function isUnreported(sample: SampleRecord): boolean {
  return sample.generation.usage_report?.source === "not_reported";
}

function sampleTokens(sample: SampleRecord): number {
  const tokens = (usage: UsageRecord) => usageTokens(usageOf(usage));
  return tokens(sample.generation.usage) + (sample.review ? tokens(sample.review.usage) : 0);
}
