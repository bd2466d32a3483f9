/** Markup that is already safe to insert (escaped text or markup we built). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Fragment = SafeHtml | string | number | boolean | null | undefined | readonly Fragment[];

/** Text as HTML: `&`, `<`, `>`, `"` and `'` escaped. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * A template for markup: interpolated strings and numbers are escaped, SafeHtml is inserted as is, arrays are
 * joined, and null, undefined and false leave nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Fragment[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** Markup we made ourselves (CSS, script), inserted unescaped. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: Fragment): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item) => render(item)).join("");
  return escapeHtml(String(value));
}
