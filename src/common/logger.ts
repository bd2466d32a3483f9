import { pino } from "pino";

/** Structured logging. The CLI writes it to stderr; libraries take a logger and default to silence. */
export type Logger = pino.Logger;

export const silentLogger: Logger = pino({ level: "silent" });

/** Paths whose values never reach a log line. */
export const LOG_REDACT_PATHS = [
  "apiKey",
  "*.apiKey",
  "*.*.apiKey",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers.Authorization",
  "*.headers.Authorization",
];

export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    { level, base: undefined, redact: { paths: LOG_REDACT_PATHS, censor: "[REDACTED]" } },
    destination,
  );
}
