/**
 * The PR title and body a generator wrote to `/pr_content.json`, read as robustly as the published pipeline does
 * (reference §3.3): strict JSON; JSON with raw control characters in strings; a regex salvage of the two fields;
 * otherwise missing, and the PR is "N/A".
 */
export interface PrContent {
  prTitle: string;
  prBody: string;
  source: "file" | "missing";
}

export const MISSING_PR: PrContent = { prTitle: "N/A", prBody: "N/A", source: "missing" };

export function readPrContent(text: string | undefined): PrContent {
  if (text === undefined) return MISSING_PR;
  return fromJson(text) ?? fromJson(escapeControlCharacters(text)) ?? salvage(text) ?? MISSING_PR;
}

function fromJson(text: string): PrContent | undefined {
  try {
    const value = JSON.parse(text) as { pr_title?: unknown; pr_body?: unknown };
    const title = typeof value.pr_title === "string" ? value.pr_title.trim() : "";
    const body = typeof value.pr_body === "string" ? value.pr_body.trim() : "";
    return title && body ? { prTitle: title, prBody: body, source: "file" } : undefined;
  } catch {
    return undefined;
  }
}

/** Python's `json.loads(strict=False)`: raw newlines and tabs inside strings are allowed. */
function escapeControlCharacters(text: string): string {
  let out = "";
  let inString = false;
  let escaped = false;
  for (const char of text) {
    if (inString && !escaped && char < " ") {
      out +=
        char === "\n"
          ? "\\n"
          : char === "\r"
            ? "\\r"
            : char === "\t"
              ? "\\t"
              : `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
      continue;
    }
    if (inString && char === "\\" && !escaped) escaped = true;
    else {
      if (char === '"' && !escaped) inString = !inString;
      escaped = false;
    }
    out += char;
  }
  return out;
}

/** The published salvage: the title before `"pr_body"`, the body up to a final quote and brace. */
function salvage(text: string): PrContent | undefined {
  const bodyAt = text.indexOf('"pr_body"');
  if (bodyAt < 0) return undefined;
  const title = /"pr_title"\s*:\s*"([^"]{1,300})"/.exec(text.slice(0, bodyAt))?.[1]?.trim();
  let body = text.slice(bodyAt + '"pr_body"'.length).replace(/^[\s:]*"?/, "");
  body = body.replace(/"\s*}\s*$/, '"');
  body = body
    .replace(/[\r\n]+/g, " ")
    .trim()
    .replace(/"$/, "")
    .trim();
  return title && body ? { prTitle: title, prBody: body, source: "file" } : undefined;
}
