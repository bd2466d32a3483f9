import { jsonrepair } from "jsonrepair";
import { parseJsonObject } from "../common/json-object.js";

/**
 * Finds a JSON object in model text: the whole text, else a fenced block (```json … ```), else the first balanced
 * `{…}` span; each tried as is and then repaired (trailing commas, single quotes, unquoted keys, cut-off ends).
 */
export function extractJsonObject(text: string): Record<string, unknown> | undefined {
  const candidates: string[] = [text.trim()];
  for (const match of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)\n?```/g))
    if (match[1]) candidates.push(match[1]);
  const span = firstBalancedObject(text);
  if (span) candidates.push(span);
  for (const candidate of candidates) {
    const parsed = parseObject(candidate) ?? parseObject(repaired(candidate));
    if (parsed) return parsed;
  }
  return undefined;
}

/** The object `text` holds, when it starts as one (so a repaired string or number is not taken for it). */
function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  return text?.trim().startsWith("{") ? parseJsonObject(text) : undefined;
}

function repaired(text: string): string | undefined {
  try {
    return jsonrepair(text);
  } catch {
    return undefined;
  }
}

/** The first `{…}` whose braces balance, ignoring braces inside strings; or from the first `{` to the end if cut off. */
export function firstBalancedObject(text: string): string | undefined {
  const start = text.indexOf("{");
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}
