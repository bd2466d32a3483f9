import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { skipTitle } from "../../test/helpers/skip.js";
import { baseImage, baseImageSkipReason, engineForTests } from "../../test/support/container-images.js";
import type { Engine } from "./engine.js";
import { ImageReleases } from "./image-releases.js";
import { inspectImage } from "./images.js";
import { PulledImages } from "./pulled-images.js";

const engine = await engineForTests();
const skip = typeof engine === "string" ? engine : await baseImageSkipReason(engine);
const dir = mkdtempSync(join(tmpdir(), "swe-review-releases-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(skip)(skipTitle("--remove-images", skip), () => {
  it("removes a pulled image once no item uses it and the next item wants another, never one in use or not pulled by us", async () => {
    const real = engine as Engine;
    const base = await baseImage(real);
    const suffix = Math.random().toString(36).slice(2, 8);
    const [a, b, mine] = ["a", "b", "mine"].map(
      (name) => `localhost/swe-review-test/release-${name}-${suffix}:latest`,
    );
    const records = new PulledImages(join(dir, "pulled.jsonl"));
    for (const name of [a, b, mine] as string[]) {
      const [repo = "", tag = ""] = name.split(/:(?=[^:]+$)/);
      await real.docker.getImage(base).tag({ repo, tag });
    }
    // a and b count as pulled by swe-review; `mine` was the user's.
    for (const name of [a, b] as string[]) {
      records.recordPulled(real.where, name, (await inspectImage(real, name))?.id ?? "");
    }
    const releases = new ImageReleases(real, undefined, records);
    const present = async (name: string) => (await inspectImage(real, name)) !== undefined;
    try {
      await releases.using(a as string);
      await releases.using(a as string); // two candidates of one instance at once
      releases.done(a as string);
      await releases.using(mine as string);
      expect(await present(a as string)).toBe(true); // still in use
      releases.done(a as string);
      releases.done(mine as string);
      await releases.using(a as string); // the same instance again: kept, not pulled twice
      expect(await present(a as string)).toBe(true);
      expect(await present(mine as string)).toBe(true); // not ours: never removed
      releases.done(a as string);
      await releases.using(b as string);
      expect(await present(a as string)).toBe(false);
      expect(await present(b as string)).toBe(true);
    } finally {
      for (const name of [a, b, mine] as string[])
        await real.docker
          .getImage(name)
          .remove()
          .catch(() => {});
    }
  }, 300_000);
});
