/** One word for a POSIX shell: left bare when it is plainly safe, single-quoted otherwise. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
