import { spawn } from "node:child_process";
import type { Engine } from "../../src/containers/engine.js";

/**
 * Small Engine API helpers for tests and their fixtures: building an image from a folder (sent as a tar stream, the
 * way `docker build` does, no CLI needed) and running a script in a container to read what it printed.
 */

/**
 * A tar stream of `dir`'s contents with every file owned by root (uid/gid 0), as `COPY` of a SWE-bench repository
 * leaves `/testbed`.
 */
export function tarOf(dir: string): NodeJS.ReadableStream {
  const tar = spawn("tar", ["-C", dir, "-c", "--owner=0", "--group=0", "--numeric-owner", "."], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return tar.stdout;
}

/** Reads an engine's JSON-lines answer (build, import) to its end; rejects on an error line. Returns the text. */
export function readJsonLines(stream: NodeJS.ReadableStream, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    stream.on("error", reject);
    stream.on("end", () => {
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        try {
          const parsed = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
          const message = parsed.errorDetail?.message ?? parsed.error;
          if (message) return reject(new Error(`${what}: ${message}\n${text.slice(-4000)}`));
        } catch {
          // not JSON: a raw progress line
        }
      }
      resolve(text);
    });
  });
}

/** Builds `tag` from the folder `contextDir` (holding a `Dockerfile`) through the engine API. */
export async function buildImageFrom(engine: Engine, contextDir: string, tag: string): Promise<void> {
  const stream = await engine.docker.buildImage(tarOf(contextDir), { t: tag, rm: true, forcerm: true });
  await readJsonLines(stream, `building ${tag}`);
  await engine.docker.getImage(tag).inspect();
}

/** What a script run in a container printed (stdout and stderr merged through a tty) and its exit code. */
export interface ContainerRun {
  code: number;
  output: string;
}

/**
 * Runs `script` with `bash -c` in a fresh container of `image` (as `user` when given), waits for it, and removes
 * the container. No network.
 */
export async function runInImage(
  engine: Engine,
  image: string,
  script: string,
  options: { user?: string; labels?: Record<string, string> } = {},
): Promise<ContainerRun> {
  const container = await engine.docker.createContainer({
    Image: image,
    Cmd: ["bash", "-c", script],
    Tty: true,
    ...(options.user ? { User: options.user } : {}),
    ...(options.labels ? { Labels: options.labels } : {}),
    HostConfig: { NetworkMode: "none" },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return { code: StatusCode, output: logs.toString("utf8").replace(/\r\n/g, "\n") };
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
}
