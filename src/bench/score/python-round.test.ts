import { describe, expect, it } from "vitest";
import { pythonRound, releasedPercent } from "./python-round.js";

describe("pythonRound", () => {
  it("rounds exact binary ties to even, as Python's round does (toFixed rounds them up)", () => {
    // Values and results checked against CPython 3: round(x, 1).
    expect(pythonRound(0.25, 1)).toBe(0.2);
    expect(pythonRound(0.75, 1)).toBe(0.8);
    expect(pythonRound(1.25, 1)).toBe(1.2);
    expect(pythonRound(72.25, 1)).toBe(72.2);
    expect(pythonRound(-0.25, 1)).toBe(-0.2);
    expect(pythonRound(2.5, 0)).toBe(2);
    expect(pythonRound(1.5, 0)).toBe(2);
    expect(pythonRound(0.125, 2)).toBe(0.12);
    expect(pythonRound(0.375, 2)).toBe(0.38);
    expect((0.25).toFixed(1)).toBe("0.3");
  });

  it("rounds the exact value of the double, so a decimal tie that is not a binary tie goes the way its double lies", () => {
    expect(pythonRound(2.675, 2)).toBe(2.67); // the double is 2.67499999…
    expect(pythonRound(0.35, 1)).toBe(0.3); // 0.34999999…
    expect(pythonRound(100 / 3, 1)).toBe(33.3);
    expect(pythonRound((2 / 3) * 100, 1)).toBe(66.7);
    expect(pythonRound(5e-324, 1)).toBe(0);
    expect(pythonRound(1e22, 1)).toBe(1e22);
  });

  it("gives the released percentages: round(a / b * 100, 1), and 0 for an empty denominator", () => {
    // CPython: round(1/16*100, 1) == 6.2, round(3/16*100, 1) == 18.8, round(13/16*100, 1) == 81.2
    expect(releasedPercent(1, 16)).toBe(6.2);
    expect(releasedPercent(3, 16)).toBe(18.8);
    expect(releasedPercent(13, 16)).toBe(81.2);
    expect(releasedPercent(5, 16)).toBe(31.2);
    expect(releasedPercent(1, 3)).toBe(33.3);
    expect(releasedPercent(7, 0)).toBe(0);
    expect(releasedPercent(361, 500)).toBe(72.2);
  });
});
