/**
 * OpenHands' truncation: when text is longer than `limit`, keep a head and a tail with a notice between them so
 * the result is exactly `limit` characters; head = ceil((limit − notice) / 2). Cuts may fall mid-line.
 */
export const DEFAULT_CLIP_NOTICE =
  "<response clipped><NOTE>Due to the max output limit, only part of the full response has been shown to you.</NOTE>";

export function clipMiddle(text: string, limit: number, notice = DEFAULT_CLIP_NOTICE): string {
  if (text.length <= limit) return text;
  const room = Math.max(0, limit - notice.length);
  const head = Math.ceil(room / 2);
  const tail = room - head;
  return text.slice(0, head) + notice + (tail > 0 ? text.slice(text.length - tail) : "");
}

/**
 * Clips with a notice that names the line where the cut starts (1-based, in the full text). The line depends on
 * the notice's length, which depends on the line's digits, so settle it in a few rounds.
 */
export function clipWithLineNotice(text: string, limit: number, notice: (line: number) => string): string {
  if (text.length <= limit) return text;
  let line = 1;
  for (let round = 0; round < 4; round++) {
    const head = Math.ceil(Math.max(0, limit - notice(line).length) / 2);
    const next = text.slice(0, head).split("\n").length + 1;
    if (next === line) break;
    line = next;
  }
  return clipMiddle(text, limit, notice(line));
}
