import type { RedisOptions } from "bullmq";
import { InputError } from "../common/errors.js";
import { redactUrl } from "../common/redact-url.js";

/** The one queue every benchmark job goes through (jobs carry their run directory). */
export const QUEUE_NAME = "swe-review-bench";

/** How long to wait between reconnection attempts once Redis went away: soon back, never a storm. */
const reconnectDelayMs = (attempt: number) => Math.min(attempt * 500, 5_000);

/**
 * Connection options from `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS), for a worker's
 * connections: BullMQ needs `maxRetriesPerRequest: null` there, so commands wait for Redis to come back.
 */
export function redisOptions(url: string): RedisOptions {
  const shown = describeQueue(url);
  if (!URL.canParse(url)) {
    throw new InputError(
      "queue_url",
      `--queue ${shown}: expected redis://host:port/db, e.g. redis://127.0.0.1:6379/0.`,
    );
  }
  const parsed = new URL(url);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new InputError(
      "queue_url",
      `--queue ${shown}: expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0.`,
    );
  }
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db))
    throw new InputError("queue_url", `--queue ${shown}: the database must be a number, e.g. /0.`);
  const port = parsed.port ? Number(parsed.port) : 6379;
  if (port === 0)
    throw new InputError("queue_url", `--queue ${shown}: port 0 is not a port Redis listens on.`);
  return {
    host: parsed.hostname || "127.0.0.1",
    port,
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelayMs,
    lazyConnect: false,
  };
}

/**
 * Options for a queue handle that submits or inspects jobs: a command fails once a reconnection has failed instead
 * of waiting for Redis forever, so a command line tool ends with an error rather than hanging.
 */
export function queueHandleOptions(url: string): RedisOptions {
  return { ...redisOptions(url), maxRetriesPerRequest: 1 };
}

/** The URL without its credentials, for messages and logs. */
export function describeQueue(url: string): string {
  return redactUrl(url);
}
