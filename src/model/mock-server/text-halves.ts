/**
 * The text in two non-empty parts (fewer when it is shorter than two characters): how the mock servers stream a
 * text, so a client must join deltas to read it.
 */
export function halves(text: string): string[] {
  const middle = Math.floor(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)].filter((part) => part !== "");
}
