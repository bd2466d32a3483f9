import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { SecretScrubber } from "../common/secrets.js";
import type { TrajectoryEvent } from "./schema.js";

/** Where an agent run's events go. */
export interface TrajectorySink {
  write(event: TrajectoryEvent): void;
}

/** Keeps events in memory (tests, and runs that do not persist). */
export class MemoryTrajectory implements TrajectorySink {
  readonly events: TrajectoryEvent[] = [];
  write(event: TrajectoryEvent): void {
    this.events.push(structuredClone(event));
  }
}

/**
 * Appends events to a JSONL file, one line per event, written through to the operating system before `write`
 * returns, so a crash loses nothing already recorded. Known secret values are replaced before anything is written;
 * URLs in what the agent saw and wrote are kept as they were (the header's come redacted: `Model.describe()` and
 * the recorded configuration), so every request still rebuilds byte for byte.
 */
export class TrajectoryWriter implements TrajectorySink {
  private fd: number | undefined;
  private readonly scrubber: SecretScrubber;

  constructor(
    readonly path: string,
    options: { secrets?: Iterable<string | undefined> } = {},
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "a");
    this.scrubber = new SecretScrubber(options.secrets ?? [], { redactUrls: false });
  }

  write(event: TrajectoryEvent): void {
    if (this.fd === undefined) throw new Error(`Trajectory ${this.path} is closed.`);
    const line = JSON.stringify(event);
    writeSync(this.fd, `${this.scrubber.scrub(line)}\n`);
  }

  /**
   * Closes the file. No fsync: every line already reached the operating system when it was written, which is what
   * surviving a crashed process needs, and a synchronous flush to disk would stall every other agent in the process.
   */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
