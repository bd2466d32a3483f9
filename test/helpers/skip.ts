/**
 * Tests that need something this machine may lack (bubblewrap, a Redis, Chromium, a container engine, the shared
 * real data) skip without it, and say why in vitest's output:
 *
 *   const noRedis = unless(process.env.SWE_REVIEW_TEST_REDIS, "SWE_REVIEW_TEST_REDIS is not set (…)");
 *   describe.skipIf(noRedis)(skipTitle("benchmark runs on a Redis queue", noRedis), () => { … });
 */

/** Why a test or group cannot run on this machine (what is missing), or undefined when it can. */
export type SkipReason = string | undefined;

/** `reason` when `condition` is falsy, undefined when it holds. */
export function unless(condition: unknown, reason: string): SkipReason {
  return condition ? undefined : reason;
}

/** Every reason given, joined with "; ", or undefined when there is none. */
export function skipReasons(...reasons: SkipReason[]): SkipReason {
  const given = reasons.filter((reason): reason is string => reason !== undefined);
  return given.length > 0 ? given.join("; ") : undefined;
}

/**
 * The title for a group or test that `skipIf(reason)` skips: `title (skipped: reason)` when `reason` is set, with
 * one line `skipped: title — reason` written as the file is collected (vitest's default reporter prints a file's
 * console lines, but shows skipped tests only as a count when it runs several files). `title` as it is otherwise.
 */
export function skipTitle(title: string, reason: SkipReason): string {
  if (reason === undefined) return title;
  console.log(`skipped: ${title} — ${reason}`);
  return `${title} (skipped: ${reason})`;
}
