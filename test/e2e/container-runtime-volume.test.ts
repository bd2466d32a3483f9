import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/containers/engine.js";
import { RUNTIME_DIR, type RuntimeBundle } from "../../src/containers/runtime-bundle.js";
import { ensureRuntimeVolume } from "../../src/containers/runtime-volume.js";
import { skipTitle } from "../helpers/skip.js";
import { baseImage, baseImageSkipReason, engineForTests } from "../support/container-images.js";
import { buildImageFrom } from "../support/engine-api.js";

const engine = await engineForTests();
const skip = typeof engine === "string" ? engine : await baseImageSkipReason(engine);

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)(skipTitle("the shared runtime volume", skip), () => {
  it("takes nothing from the image it is filled through (an image with files at /.swe-review poisons no other run)", async () => {
    const docker = (engine as Engine).docker;
    const context = mkdtempSync(join(tmpdir(), "swe-review-runtime-poison-"));
    made.push(context);
    mkdirSync(join(context, "poison", "supervisor"), { recursive: true });
    writeFileSync(join(context, "poison", "supervisor", "planted.js"), "planted\n");
    writeFileSync(
      join(context, "Dockerfile"),
      [`FROM ${await baseImage(engine as Engine)}`, `COPY poison ${RUNTIME_DIR}`, ""].join("\n"),
    );
    const image = "localhost/swe-review-test/runtime-poison:1";
    await buildImageFrom(engine as Engine, context, image);
    const bundle: RuntimeBundle = {
      hash: `test${randomBytes(6).toString("hex")}`,
      files: [{ content: Buffer.from("ours\n"), path: "supervisor/main.js", mode: 0o644 }],
      supervisorArgv: [],
      runPrefix: [],
    };
    const volume = await ensureRuntimeVolume(docker, bundle, image);
    try {
      const probe = await docker.createContainer({
        Image: image,
        Entrypoint: ["/bin/true"],
        Cmd: [],
        NetworkDisabled: true,
        HostConfig: { Mounts: [{ Type: "volume", Source: volume, Target: "/mnt", ReadOnly: true }] },
      });
      try {
        const has = async (path: string) =>
          probe.getArchive({ path }).then(
            (archive) => {
              (archive as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
              return true;
            },
            () => false,
          );
        expect(await has("/mnt/supervisor/main.js")).toBe(true);
        expect(await has("/mnt/supervisor/planted.js")).toBe(false);
      } finally {
        await probe.remove({ force: true });
      }
    } finally {
      await docker
        .getVolume(volume)
        .remove({ force: true })
        .catch(() => {});
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => {});
    }
  }, 180_000);
});
