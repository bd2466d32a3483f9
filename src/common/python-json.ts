/**
 * JSON text the way Python's `json.dumps(value, ensure_ascii=False)` writes it: `", "` and `": "` separators,
 * keys in insertion order, non-ASCII characters kept. This is the form Qwen-family chat templates and vLLM's hermes
 * parser produce, so it is what models trained on those templates saw and generate.
 *
 * Numbers: integers print as integers. JavaScript cannot tell `1.0` from `1`, so a float that happens to be
 * integral prints without `.0`; pass a `PythonFloat` to force the Python float form.
 */
export class PythonFloat {
  constructor(readonly value: number) {}
}

export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof PythonFloat) return pythonFloatRepr(value.value);
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
    case "bigint":
      return value.toString();
    case "object": {
      if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
      const json = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof json === "function") return pythonJsonDumps(json.call(value));
      const parts: string[] = [];
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === undefined || typeof item === "function") continue;
        parts.push(`${JSON.stringify(key)}: ${pythonJsonDumps(item)}`);
      }
      return `{${parts.join(", ")}}`;
    }
    default:
      return "null";
  }
}

/** Python's `repr(float)`: shortest round-trip digits, `.0` on integral values, two-digit exponents. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    const [mantissa = "", exponent = "0"] = value.toExponential().split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    const digits = exponent.replace(/^[+-]/, "").padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

/**
 * Parses JSON the way Python's `json.loads` reads it, so that `pythonJsonDumps` writes it back as Python would:
 * numbers written with a fraction or exponent stay floats (`1.0` stays `1.0`, where `JSON.parse` gives `1`).
 * Throws a SyntaxError on invalid JSON, as `JSON.parse` does. (Objects with integer-like keys come back as
 * `JSON.parse` gives them: JavaScript orders those keys first, where Python keeps the document's order.)
 */
export function parsePythonJson(text: string): unknown {
  const value = JSON.parse(text); // validates, and reads strings and structure
  if (!/[.eE]/.test(text)) return value;
  const floats = floatTokens(text);
  if (floats.length === 0) return value;
  // JavaScript puts integer-like keys first, so values would no longer come in document order: keep plain numbers.
  if (/"\d+"\s*:/.test(text)) return value;
  let next = 0;
  const revive = (item: unknown): unknown => {
    if (typeof item === "number") {
      const token = floats[next++];
      return token?.isFloat ? new PythonFloat(item) : item;
    }
    if (Array.isArray(item)) return item.map(revive);
    if (item !== null && typeof item === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(item)) out[key] = revive(child);
      return out;
    }
    return item;
  };
  return revive(value);
}

/** Every number literal outside strings, in document order, and whether it was written as a float. */
function floatTokens(text: string): { isFloat: boolean }[] {
  const tokens: { isFloat: boolean }[] = [];
  const number = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      index++;
      while (index < text.length && text[index] !== '"') index += text[index] === "\\" ? 2 : 1;
      index++;
    } else if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) {
      number.lastIndex = index;
      const match = number.exec(text);
      const literal = match?.[0] ?? char;
      tokens.push({ isFloat: /[.eE]/.test(literal) });
      index += literal.length;
    } else {
      index++;
    }
  }
  return tokens;
}
