import { type Clock, systemClock } from "../common/clock.js";
import { errorMessage } from "../common/errors.js";
import { formatSeconds } from "../review/render.js";
import { describeQueue } from "./connection.js";

/**
 * What a long-running worker says while its Redis is away: one line when the connection is lost, a reminder now and
 * then while it stays away (the client keeps reconnecting), and one line when it is back. Never a trace per attempt.
 */
export class ConnectionWatch {
  private downSince: number | undefined;
  private lastLine = 0;

  constructor(
    private readonly url: string,
    private readonly report: (line: string) => void,
    private readonly options: { reminderMs?: number; clock?: Clock } = {},
  ) {}

  get down(): boolean {
    return this.downSince !== undefined;
  }

  /** A connection error (the client reconnects by itself). */
  lost(error: unknown): void {
    const now = this.now();
    const where = describeQueue(this.url);
    if (this.downSince === undefined) {
      this.downSince = now;
      this.lastLine = now;
      this.report(
        `[worker] lost Redis at ${where} (${errorMessage(error)}); reconnecting until it is back (Ctrl-C stops). Running jobs go on; their results are kept in the run directory.`,
      );
    } else if (now - this.lastLine >= (this.options.reminderMs ?? 60_000)) {
      this.lastLine = now;
      this.report(
        `[worker] Redis at ${where} still unreachable after ${formatSeconds((now - this.downSince) / 1000)} (${errorMessage(error)}); still reconnecting.`,
      );
    }
  }

  /** The connection is ready again. */
  back(): void {
    if (this.downSince === undefined) return;
    this.report(
      `[worker] Redis at ${describeQueue(this.url)} is back after ${formatSeconds((this.now() - this.downSince) / 1000)}.`,
    );
    this.downSince = undefined;
  }

  private now(): number {
    return (this.options.clock ?? systemClock).now();
  }
}
