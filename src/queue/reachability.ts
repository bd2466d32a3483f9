import { Redis } from "ioredis";
import { errorMessage, InputError, SweReviewError } from "../common/errors.js";
import { describeQueue, redisOptions } from "./connection.js";

/** Exit code of a command whose queue's Redis cannot be reached (3 stays bad input, such as a malformed URL). */
export const EXIT_QUEUE_UNREACHABLE = 4;

/** The queue's Redis cannot be reached, or went away: nothing wrong with what was asked, try again when it is back. */
export class QueueUnreachableError extends SweReviewError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("queue_unreachable", message, { ...options, exitCode: EXIT_QUEUE_UNREACHABLE });
  }
}

/** Ctrl-C while waiting for Redis: nothing was queued or changed. */
export class QueueWaitStoppedError extends SweReviewError {
  constructor(url: string) {
    super("stopped", `stopped while waiting for Redis at ${describeQueue(url)}.`, {
      exitCode: 130,
    });
  }
}

/** What the connection errors of ioredis and BullMQ look like (refused, reset, timed out, closed, given up). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code ?? "";
  return (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)$/.test(code) ||
    error.name === "MaxRetriesPerRequestError" ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET/.test(error.message)
  );
}

/**
 * Checks that Redis answers at `url` before a command relies on it: a malformed URL or credentials Redis refuses are
 * bad input (exit 3), no answer within `timeoutMs` is `QueueUnreachableError` (exit 4), and an abort stops the wait
 * at once. Never retries: the caller decides what to do.
 */
export async function checkQueue(
  url: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<void> {
  const connection = redisOptions(url); // a malformed URL is an InputError here
  const timeoutMs = options.timeoutMs ?? 5_000;
  if (options.signal?.aborted) throw new QueueWaitStoppedError(url);
  const client = new Redis({
    ...connection,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    // A peer that never answers never closes its side either: drop the socket at once, or it holds the process.
    disconnectTimeout: 0,
  });
  let lastError: unknown;
  client.on("error", (error) => {
    lastError = error; // reported through the promise below, not as an unhandled event
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new NoAnswer()), timeoutMs);
        onAbort = () => reject(new QueueWaitStoppedError(url));
        options.signal?.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
  } catch (error) {
    throw probeFailure(
      error instanceof NoAnswer || error instanceof SweReviewError ? error : (lastError ?? error),
      url,
      {
        timeoutMs,
        password: connection.password,
      },
    );
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    client.disconnect();
  }
}

class NoAnswer extends Error {}

function probeFailure(
  error: unknown,
  url: string,
  context: { timeoutMs: number; password?: string | undefined },
): SweReviewError {
  if (error instanceof SweReviewError) return error;
  const where = describeQueue(url);
  if (error instanceof NoAnswer) {
    return new QueueUnreachableError(
      `Redis at ${where} did not answer within ${Math.round(context.timeoutMs / 1000)} s. Check that a Redis server listens at that host and port and that this machine can reach it.`,
    );
  }
  const cause = scrub(errorMessage(error), context.password);
  if (/WRONGPASS|NOAUTH|NOPERM|invalid password|invalid username/i.test(cause)) {
    return new InputError(
      "queue_auth",
      `Redis at ${where} refused the credentials (${cause}). Put the right user and password in the URL: redis://user:password@host:port/db.`,
    );
  }
  if (/DB index is out of range|invalid DB index/i.test(cause)) {
    return new InputError(
      "queue_url",
      `Redis at ${where} has no such database (${cause}). Use a database number it has, e.g. /0.`,
    );
  }
  return unreachable(where, cause, error);
}

/**
 * The error a command ends with when Redis went away while it was talking to it (`QueueUnreachableError`, exit 4);
 * errors that are not about the connection come back unchanged. `lastSeen` is the last connection error the client
 * reported, which says more than the "gave up retrying" error a command then fails with.
 */
export function queueFailure(error: unknown, url: string, lastSeen?: unknown): unknown {
  if (error instanceof SweReviewError || !isConnectionError(error)) return error;
  const cause = isConnectionError(lastSeen) && error !== lastSeen ? lastSeen : error;
  const text =
    cause instanceof Error && cause.name === "MaxRetriesPerRequestError"
      ? "the connection was lost"
      : errorMessage(cause);
  return unreachable(describeQueue(url), scrub(text, passwordOf(url)), error);
}

function unreachable(where: string, cause: string, error: unknown): QueueUnreachableError {
  return new QueueUnreachableError(
    `Cannot reach Redis at ${where} (${cause}). Start Redis there, or give --queue the URL of one that runs.`,
    { cause: error },
  );
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

function scrub(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join("***") : text;
}
