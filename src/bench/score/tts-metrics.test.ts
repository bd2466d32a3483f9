import { describe, expect, it } from "vitest";
import { loopRecord, sample } from "../../../test/helpers/loop-records.js";
import { item, missing } from "../../../test/helpers/score-items.js";
import { ttsFigures } from "./tts-metrics.js";

const reject = { decision: "request_changes" as const, tokens: 10_000 };
const approve = { decision: "approve" as const, tokens: 10_000 };

// Budget 3, four instances (the fourth never ran):
//   A: s1 rejected (unresolved), s2 approved (resolved)                      → 2 samples
//   B: s1 approved (verification failed)                                     → 1 sample
//   C: s1 rejected (unresolved), s2 rejected (resolved), s3 unreviewed (unresolved) → 3 samples
const items = [
  item("A", null, null, { loop: loopRecord([sample(1, false, reject), sample(2, true, approve)], 3, true) }),
  item("B", null, null, { loop: loopRecord([sample(1, null, approve)], 3, null) }),
  item("C", null, null, {
    loop: loopRecord([sample(1, false, reject), sample(2, true, reject), sample(3, false)], 3, false),
  }),
  missing("D", false),
];

describe("ttsFigures (reference §8.2)", () => {
  it("computes reviewer-gated and oracle RR@k, samples spent and tokens per budget, over every instance", () => {
    const figures = ttsFigures(items);
    expect(figures).toMatchObject({
      strategies: ["iterative"],
      instances: 4,
      with_loop: 3,
      budget: 3,
      unverified_samples: 1,
      submitted_RR: 25,
    });
    expect(figures?.points).toEqual([
      // k=1: in force A1 ✗, B1 ✗ (unverified), C1 ✗; no sample resolves; 110k tokens each
      { k: 1, reviewer_gated_RR: 0, oracle_RR: 0, mean_samples: 1, mean_tokens: 110_000, pp_per_mtok: 0 },
      // k=2: A2 ✓ (approved), B1 ✗, C2 ✓ (latest); tokens (220k + 110k + 220k) / 3; 50 pp / 0.1833 Mtok
      {
        k: 2,
        reviewer_gated_RR: 50,
        oracle_RR: 50,
        mean_samples: 1.67,
        mean_tokens: 183_333,
        pp_per_mtok: 272.73,
      },
      // k=3: A2 ✓, B1 ✗, C3 ✗ (the revision broke it); oracle keeps C2; tokens (220k + 110k + 320k) / 3
      {
        k: 3,
        reviewer_gated_RR: 25,
        oracle_RR: 50,
        mean_samples: 2,
        mean_tokens: 216_667,
        pp_per_mtok: 115.38,
      },
    ]);
  });

  it("does not count an unreported generator's tokens as 0: pp/Mtok is withheld from the first k that includes one", () => {
    // A's revision came from an external CLI that reported no usage.
    const revision = { ...sample(2, true, approve, 0), generation: { ...sample(2, true).generation } };
    revision.generation.usage_report = {
      version: 1,
      source: "not_reported",
      input_tokens: null,
      output_tokens: null,
      cache_read_tokens: null,
      cache_write_tokens: null,
      cost_usd: null,
    };
    revision.generation.usage = { ...revision.generation.usage, prompt_tokens: 0, completion_tokens: 0 };
    const figures = ttsFigures([
      item("A", null, null, { loop: loopRecord([sample(1, false, reject), revision], 2, true) }),
    ]);
    expect(figures?.unreported_generator_samples).toBe(1);
    expect(figures?.points.map((point) => point.pp_per_mtok)).toEqual([0, null]);
  });

  it("has nothing to say without loops", () => {
    expect(ttsFigures([item("x", true, "approve")])).toBeUndefined();
  });
});
