/**
 * A fresh signal that aborts when `parent` does, and a `dispose` that unlinks it. Give each request its own child
 * signal: libraries that add listeners to a signal without removing them (the OpenAI SDK does, per request) then
 * leave nothing behind on a long-lived run signal.
 */
export function childSignal(parent: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  if (!parent) return { signal: controller.signal, dispose: () => {} };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  return { signal: controller.signal, dispose: () => parent.removeEventListener("abort", onAbort) };
}
