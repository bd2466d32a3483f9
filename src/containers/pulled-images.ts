import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { cacheRoot } from "../workspace/repo-cache.js";

/**
 * The record of the images swe-review pulled, per engine, so that removing images (per item, or `cache prune`)
 * removes exactly those and never an image the user had or pulled themselves.
 *
 * An append-only JSON-lines file: each line is one versioned event, `pulled` or `removed`. Appends of one short line
 * are atomic between processes (O_APPEND), so concurrent runs need no lock; the current set is the fold of the
 * events. Lines that do not parse (a future version, a torn write) are skipped.
 */
export const PulledImageEvent = z.object({
  v: z.literal(1),
  event: z.enum(["pulled", "removed"]),
  /** The image's name as asked for, e.g. `swebench/sweb.eval.x86_64.django_1776_django-11049:latest`. */
  image: z.string().min(1),
  /** The engine's image id after the pull (`sha256:…`); on `removed`, the id removed. */
  id: z.string(),
  /** `Engine.where` of the engine holding it (credentials redacted). */
  engine: z.string().min(1),
  /** ISO time of the event. */
  at: z.string(),
});
export type PulledImageEvent = z.infer<typeof PulledImageEvent>;

/** An image swe-review pulled and has not removed. */
export interface PulledImage {
  image: string;
  id: string;
  engine: string;
  pulledAt: string;
}

/** `<cache>/swe-review/images/pulled.jsonl`, beside the repository mirrors (`cacheRoot()`). */
export function defaultPulledImagesPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), "images", "pulled.jsonl");
}

/** The record file at `path`. */
export class PulledImages {
  constructor(readonly path: string = defaultPulledImagesPath()) {}

  /** Records that swe-review pulled `image` (now `id`) into `engine`. */
  recordPulled(engine: string, image: string, id: string, now: Date = new Date()): void {
    this.append({ v: 1, event: "pulled", image, id, engine, at: now.toISOString() });
  }

  /** Records that `image` is no longer swe-review's to remove (removed, or replaced by someone else). */
  recordRemoved(engine: string, image: string, id: string, now: Date = new Date()): void {
    this.append({ v: 1, event: "removed", image, id, engine, at: now.toISOString() });
  }

  /** The images pulled into `engine` (every engine when omitted) and not removed since, oldest first. */
  list(engine?: string): PulledImage[] {
    const current = new Map<string, PulledImage>();
    for (const event of this.events()) {
      if (engine !== undefined && event.engine !== engine) continue;
      const key = `${event.engine}\n${event.image}`;
      if (event.event === "pulled") {
        current.set(key, { image: event.image, id: event.id, engine: event.engine, pulledAt: event.at });
      } else {
        current.delete(key);
      }
    }
    return [...current.values()];
  }

  /** The record of `image` in `engine`, if swe-review pulled it and has not removed it. */
  find(engine: string, image: string): PulledImage | undefined {
    return this.list(engine).find((entry) => entry.image === image);
  }

  private events(): PulledImageEvent[] {
    if (!existsSync(this.path)) return [];
    const events: PulledImageEvent[] = [];
    for (const line of readFileSync(this.path, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        const parsed = PulledImageEvent.safeParse(JSON.parse(line));
        if (parsed.success) events.push(parsed.data);
      } catch {
        // a torn or foreign line
      }
    }
    return events;
  }

  private append(event: PulledImageEvent): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(PulledImageEvent.parse(event))}\n`);
  }
}
