/**
 * Ctrl-C for long runs: the first stops starting new work and lets what is in flight stop cleanly (nothing
 * half-written is recorded); a second one exits at once.
 */
export function interruptSignal(
  stream: NodeJS.WriteStream = process.stderr,
  options: { resumable?: boolean } = {},
): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    stream.write(
      `\nstopping: finishing nothing new; press Ctrl-C again to quit at once.${options.resumable === false ? "" : " Re-run the same command to resume."}\n`,
    );
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
