import type { RedisOptions } from "bullmq";
import { InputError } from "../common/errors.js";
import { redactUrl } from "../common/redact-url.js";

/** The one queue every benchmark job goes through (jobs carry their run directory). */
export const QUEUE_NAME = "swe-review-bench";

/**
 * Connection options from `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS). BullMQ needs
 * `maxRetriesPerRequest: null` on worker connections.
 */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(
      "queue_url",
      `--queue ${describeQueue(url)}: expected redis://host:port/db, e.g. redis://127.0.0.1:6379/0.`,
    );
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new InputError("queue_url", `--queue ${describeQueue(url)}: expected a redis:// or rediss:// URL.`);
  }
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db))
    throw new InputError("queue_url", `--queue ${describeQueue(url)}: the database must be a number.`);
  return {
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    lazyConnect: false,
  };
}

/** The URL without its credentials, for messages and logs. */
export function describeQueue(url: string): string {
  return redactUrl(url);
}
