/** Text made safe for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const FOLD_LINES = 40;
const FOLD_CHARS = 4000;

/**
 * A block of text in a `<pre>`; a long one shows its first lines and folds the whole text into a `<details>`,
 * so pages with many long observations stay readable.
 */
export function preBlock(text: string): string {
  const lines = text.split("\n");
  if (lines.length <= FOLD_LINES && text.length <= FOLD_CHARS) return `<pre>${escapeHtml(text)}</pre>`;
  const head = lines.slice(0, 12).join("\n").slice(0, 1500);
  return (
    `<pre>${escapeHtml(head)}</pre>` +
    `<details class="fold"><summary>show all ${lines.length} lines (${text.length.toLocaleString("en")} characters)</summary>` +
    `<pre>${escapeHtml(text)}</pre></details>`
  );
}

export function badge(value: string, kind = value): string {
  return `<span class="badge ${escapeHtml(kind.replaceAll(" ", "_"))}">${escapeHtml(value)}</span>`;
}
