import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SetupCache } from "./setup-cache.js";

const KEY = { repo: "owner/name", basis: "checkout-abc", setup: ["npm ci"], env: {} };

describe("SetupCache", () => {
  it("keeps a setup's archive and finds it again by its key", async () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-setup-cache-"));
    const cache = new SetupCache(join(root, "cache"));
    const archive = join(root, "rootfs", ".swe-review-setup", "setup.tar");
    mkdirSync(join(root, "rootfs", ".swe-review-setup"), { recursive: true });
    writeFileSync(archive, "tar");
    const produce = async () => ({ archive, deleted: [], created: ["node_modules"], log: "ok" });
    const { entry, produced } = await cache.obtain(KEY, produce);
    expect(produced).toBe(true);
    expect(readFileSync(entry.archive, "utf8")).toBe("tar");
    expect(cache.find(KEY)).toMatchObject({ created: ["node_modules"], archive: entry.archive });
    expect(cache.find({ ...KEY, basis: "checkout-def" })).toBeUndefined();
  });

  it("never moves in a file the sandbox pointed its archive folder at (another entry's archive)", async () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-setup-cache-"));
    const cache = new SetupCache(join(root, "cache"));
    // Another repository's entry, whose name anyone who knows its key can work out.
    const victim = await (async () => {
      const archive = join(root, "victim.tar");
      writeFileSync(archive, "the victim's setup");
      const other = { ...KEY, repo: "victim/repo" };
      return (await cache.obtain(other, async () => ({ archive, deleted: [], created: [], log: "" }))).entry;
    })();
    // The hostile setup replaced its archive folder (in the sandbox's root, which the host sees) with a link.
    mkdirSync(join(root, "rootfs"));
    symlinkSync(victim.dir, join(root, "rootfs", ".swe-review-setup"));
    const archive = join(root, "rootfs", ".swe-review-setup", "setup.tar");
    await expect(
      cache.obtain(KEY, async () => ({ archive, deleted: [], created: [], log: "" })),
    ).rejects.toThrow(/not a regular file in a real folder/);
    expect(readFileSync(victim.archive, "utf8")).toBe("the victim's setup");
    expect(existsSync(join(cache.entryDir(KEY), "setup.tar"))).toBe(false);
  });
});
