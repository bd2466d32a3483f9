/**
 * Waits until `condition` holds, checking every 50 ms: for effects that happen a moment after the event a test can
 * see (a process starting inside a sandbox). Fails with `what` if it never holds within `limitMs` (generous: this
 * is a bound against hanging, not a measurement).
 */
export async function waitUntil(condition: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited >= limitMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
