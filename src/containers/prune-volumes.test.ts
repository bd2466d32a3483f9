import { describe, expect, it } from "vitest";
import { skipTitle } from "../../test/helpers/skip.js";
import { baseImage, baseImageSkipReason, engineForTests } from "../../test/support/container-images.js";
import { LABELS } from "./container-labels.js";
import type { Engine } from "./engine.js";
import { pruneRuntimeVolumes } from "./prune.js";
import { runtimeBundle } from "./runtime-bundle.js";

const engine = await engineForTests();
const skip = typeof engine === "string" ? engine : await baseImageSkipReason(engine);

describe.skipIf(skip)(skipTitle("cache prune's runtime volumes", skip), () => {
  it("removes other builds' runtime volumes no container uses; keeps this build's, one in use, and volumes not ours", async () => {
    const real = engine as Engine;
    const image = await baseImage(real);
    const suffix = Math.random().toString(36).slice(2, 10);
    const labels = { [LABELS.managed]: "1" };
    const old = `swe-review-runtime-old${suffix}`;
    const used = `swe-review-runtime-used${suffix}`;
    const foreign = `swe-review-runtime-foreign${suffix}`;
    const current = `swe-review-runtime-${runtimeBundle().hash}`;
    await real.docker.createVolume({ Name: old, Labels: labels });
    await real.docker.createVolume({ Name: used, Labels: labels });
    await real.docker.createVolume({ Name: foreign }); // a user's volume of the same name pattern, unlabelled
    await real.docker.createVolume({ Name: current, Labels: labels }).catch(() => {});
    const holder = await real.docker.createContainer({
      Image: image,
      Cmd: ["true"],
      HostConfig: { Mounts: [{ Type: "volume", Source: used, Target: "/mnt" }] },
    });
    try {
      expect(await pruneRuntimeVolumes(real, true)).toEqual(expect.arrayContaining([old, used]));
      const removed = await pruneRuntimeVolumes(real, false);
      expect(removed).toContain(old);
      expect(removed).not.toContain(used);
      expect(removed).not.toContain(current);
      const names = ((await real.docker.listVolumes()).Volumes ?? []).map((volume) => volume.Name);
      expect(names).toEqual(expect.arrayContaining([used, foreign, current]));
      expect(names).not.toContain(old);
    } finally {
      await holder.remove({ force: true }).catch(() => {});
      for (const name of [old, used, foreign])
        await real.docker
          .getVolume(name)
          .remove()
          .catch(() => {});
    }
  }, 300_000);
});
