import { describe, expect, it } from "vitest";
import { loopRecord, sample } from "../../../test/helpers/loop-records.js";
import { item, missing } from "../../../test/helpers/score-items.js";
import { renderScoreTable } from "./render-table.js";
import { buildScoreSummary } from "./summary.js";

describe("renderScoreTable", () => {
  it("prints a loop run's TTS curve, saying how many instances ran no loop", () => {
    const reject = { decision: "request_changes" as const, tokens: 0 };
    const items = [
      item("a", null, null, { loop: loopRecord([sample(1, false, reject), sample(2, true)], 2, true) }),
      missing("b", false),
    ];
    const summary = buildScoreSummary(items, {
      source: { kind: "run-dir", path: "run", datasets: [], run_kind: "tts" },
      decisions: "strict",
      revisions: false,
    });
    expect(summary.DA).toBeUndefined();
    const text = renderScoreTable(summary);
    expect(text).toMatch(/^split: TTS \(iterative, budget 2, 2 instances, 1 with a loop/);
    expect(text).toMatch(/\n2\s+50\.0\s+50\.0\s+2\.00\s+200000\s+250\.00\n/);
  });
});
