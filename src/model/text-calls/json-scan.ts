/**
 * Small, string-aware scans over JSON text: where a value ends, and where a top-level key's value sits. Used to
 * find the end of a `<tool_call>` block's JSON (so a literal `</tool_call>` inside a string does not cut it) and to
 * keep the model's own argument text verbatim.
 */

/** The index just past the JSON object or array that opens at `start`, or undefined when it never closes. */
export function endOfJsonValue(text: string, start: number): number | undefined {
  const open = text[start];
  if (open !== "{" && open !== "[") return undefined;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const end = endOfString(text, i);
      if (end === undefined) return undefined;
      i = end - 1;
    } else if (char === "{" || char === "[") {
      depth++;
    } else if (char === "}" || char === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/** The index just past the JSON string that opens at `start` (a `"`), or undefined when it never closes. */
export function endOfString(text: string, start: number): number | undefined {
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === "\\") i++;
    else if (char === '"') return i + 1;
  }
  return undefined;
}

/**
 * The exact text of the value of `key` in the top-level JSON object `json` (already known to be valid JSON), or
 * undefined when the key is absent. With a repeated key the last one wins, as in `JSON.parse`.
 */
export function topLevelValueText(json: string, key: string): string | undefined {
  let i = skipSpace(json, 0);
  if (json[i] !== "{") return undefined;
  i++;
  let found: string | undefined;
  for (;;) {
    i = skipSpace(json, i);
    if (json[i] !== '"') return found;
    const keyEnd = endOfString(json, i);
    if (keyEnd === undefined) return found;
    const name = JSON.parse(json.slice(i, keyEnd)) as string;
    i = skipSpace(json, keyEnd);
    if (json[i] !== ":") return found;
    i = skipSpace(json, i + 1);
    const valueEnd = endOfScalarOrValue(json, i);
    if (valueEnd === undefined) return found;
    if (name === key) found = json.slice(i, valueEnd);
    i = skipSpace(json, valueEnd);
    if (json[i] === ",") i++;
    else return found;
  }
}

function endOfScalarOrValue(text: string, start: number): number | undefined {
  const char = text[start];
  if (char === "{" || char === "[") return endOfJsonValue(text, start);
  if (char === '"') return endOfString(text, start);
  const match = /^[^,}\]\s]+/.exec(text.slice(start, start + 64));
  return match ? start + match[0].length : undefined;
}

function skipSpace(text: string, start: number): number {
  let i = start;
  while (i < text.length && /\s/.test(text[i] ?? "")) i++;
  return i;
}
