import { pino } from "pino";
import { SecretScrubber } from "./secrets.js";

/** Structured logging. The CLI writes it to stderr; libraries take a logger and default to silence. */
export type Logger = pino.Logger;

/** A logger that writes nothing: the default of every library function that takes one. */
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

/**
 * A logger writing JSON lines to `destination` (stderr by default). Every line is scrubbed as a whole before it is
 * written: the known `secrets` (wherever they appear: a message, an error's cause, a field) and the credentials of
 * every URL in it.
 */
export function createLogger(
  level: string,
  options: { destination?: pino.DestinationStream; secrets?: Iterable<string | undefined> } = {},
): Logger {
  const destination = options.destination ?? pino.destination(2);
  const scrubber = new SecretScrubber(options.secrets ?? []);
  return pino(
    { level, base: null, redact: { paths: LOG_REDACT_PATHS, censor: "[REDACTED]" } },
    { write: (line: string) => destination.write(scrubber.scrub(line)) },
  );
}
