import type { Logger } from "../common/logger.js";
import type { Engine } from "./engine.js";
import { removeImage } from "./images.js";
import type { PulledImages } from "./pulled-images.js";

/**
 * `--remove-images`: an image swe-review pulled is removed once no item uses it and the next item wants another
 * one (so the candidates of one instance, verified one after another, share one pull), and at the end of the run
 * for those left. Images swe-review did not pull are never removed (`removeImage`).
 */
export class ImageReleases {
  private readonly users = new Map<string, number>();
  private readonly idle = new Set<string>();
  private hooked = false;

  constructor(
    private readonly engine: Engine,
    private readonly logger: Logger | undefined,
    private readonly records?: PulledImages,
  ) {}

  /** An item is about to use `name`: idle images other than it go first (their disk is needed for the next). */
  async using(name: string): Promise<void> {
    this.users.set(name, (this.users.get(name) ?? 0) + 1);
    this.idle.delete(name);
    for (const other of [...this.idle]) {
      this.idle.delete(other);
      await this.remove(other);
    }
  }

  done(name: string): void {
    const left = (this.users.get(name) ?? 1) - 1;
    this.users.set(name, left);
    if (left > 0) return;
    this.idle.add(name);
    if (!this.hooked) {
      this.hooked = true;
      // The run's last images: removed before the process ends (beforeExit allows the asynchronous removal).
      process.on("beforeExit", () => {
        const rest = [...this.idle];
        this.idle.clear();
        for (const image of rest) void this.remove(image);
      });
    }
  }

  private async remove(name: string): Promise<void> {
    if ((this.users.get(name) ?? 0) > 0) return;
    const removed = await removeImage(this.engine, name, this.records ? { records: this.records } : {}).catch(
      () => undefined,
    );
    if (removed?.removed) this.logger?.info({ image: name }, "instance image removed");
  }
}
