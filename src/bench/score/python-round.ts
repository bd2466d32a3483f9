/**
 * Python's `round(x, ndigits)` on binary floats: the exact value of the double is rounded to `ndigits` decimals,
 * ties to even (reference §15). `(0.25).toFixed(1)` is "0.3" but Python's `round(0.25, 1)` is 0.2; `round(2.675, 2)`
 * is 2.67 in both because the double nearest 2.675 lies below it. The released metric code reports
 * `round(fraction * 100, 1)`, so figures that must agree with it go through here.
 */
export function pythonRound(x: number, ndigits = 0): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (!Number.isInteger(ndigits) || ndigits < 0 || ndigits > 20) {
    throw new RangeError(`pythonRound: ndigits must be an integer from 0 to 20, not ${ndigits}`);
  }
  const { mantissa, exponent } = exactBinary(Math.abs(x));
  // |x| * 10^ndigits = numerator / denominator exactly.
  let numerator = mantissa * 10n ** BigInt(ndigits);
  let denominator = 1n;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  let quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  // The double nearest the decimal, as Python parses the digits it rounded to.
  const rounded = Number(`${quotient}e-${ndigits}`);
  return x < 0 ? -rounded : rounded;
}

/** A percentage as the released code reports it: `round(numerator / denominator * 100, 1)`, 0 for an empty denominator. */
export function releasedPercent(numerator: number, denominator: number): number {
  return denominator > 0 ? pythonRound((numerator / denominator) * 100, 1) : 0;
}

/** `value = mantissa * 2^exponent` exactly, for a finite positive double. */
function exactBinary(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  return biasedExponent === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}
