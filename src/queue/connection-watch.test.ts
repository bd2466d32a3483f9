import { describe, expect, it } from "vitest";
import { ManualClock } from "../common/clock.js";
import { ConnectionWatch } from "./connection-watch.js";

const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:6379"), { code: "ECONNREFUSED" });

describe("ConnectionWatch", () => {
  it("says once that Redis is lost, reminds once a minute while it stays away, and says when it is back", () => {
    const clock = new ManualClock(0);
    const lines: string[] = [];
    const watch = new ConnectionWatch("redis://w:s3cret@10.0.0.5:6379/0", (line) => lines.push(line), {
      clock,
    });
    // The client retries every few seconds: each attempt is an error, never a line of its own.
    for (let second = 0; second < 150; second += 2) {
      watch.lost(refused);
      clock.advance(2_000);
    }
    expect(watch.down).toBe(true);
    watch.back();
    expect(lines).toEqual([
      "[worker] lost Redis at redis://[REDACTED]@10.0.0.5:6379/0 (connect ECONNREFUSED 10.0.0.5:6379); reconnecting until it is back (Ctrl-C stops). Running jobs go on; their results are kept in the run directory.",
      "[worker] Redis at redis://[REDACTED]@10.0.0.5:6379/0 still unreachable after 1m 00s (connect ECONNREFUSED 10.0.0.5:6379); still reconnecting.",
      "[worker] Redis at redis://[REDACTED]@10.0.0.5:6379/0 still unreachable after 2m 00s (connect ECONNREFUSED 10.0.0.5:6379); still reconnecting.",
      "[worker] Redis at redis://[REDACTED]@10.0.0.5:6379/0 is back after 2m 30s.",
    ]);
    expect(watch.down).toBe(false);
    watch.back(); // a reconnection while up says nothing
    expect(lines).toHaveLength(4);
  });
});
