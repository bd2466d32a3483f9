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

/** A fresh signal that aborts when any of `parents` does, and a `dispose` that unlinks it from them all. */
export function anySignal(parents: readonly AbortSignal[]): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const aborted = parents.find((parent) => parent.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const listeners = parents.map((parent) => {
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener("abort", onAbort, { once: true });
    return () => parent.removeEventListener("abort", onAbort);
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const remove of listeners) remove();
    },
  };
}
