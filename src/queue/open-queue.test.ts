import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { skipTitle, unless } from "../../test/helpers/skip.js";
import { withQueue } from "./open-queue.js";
import { QueueUnreachableError } from "./reachability.js";

const HAS_REDIS_SERVER = (() => {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let server: ChildProcess | undefined;
afterEach(() => {
  server?.kill("SIGKILL");
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

const noRedisServer = unless(
  HAS_REDIS_SERVER,
  "redis-server is not installed (apt-get install redis-server)",
);
describe.skipIf(noRedisServer)(skipTitle("withQueue", noRedisServer), () => {
  it("fails with QueueUnreachableError within seconds when Redis goes away mid-command, instead of waiting for it", async () => {
    const port = await freePort();
    server = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    const url = `redis://127.0.0.1:${port}/0`;
    for (let tries = 0; ; tries++) {
      const client = new Redis(url, {
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      client.on("error", () => {});
      const up = await client.connect().then(
        () => true,
        () => false,
      );
      client.disconnect();
      if (up) break;
      if (tries > 100) throw new Error("redis-server did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const started = Date.now();
    const outcome = withQueue(url, async (queue) => {
      expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 0 });
      const gone = new Promise((resolve) => server?.once("exit", resolve));
      server?.kill("SIGKILL");
      await gone;
      return queue.getJobCounts("waiting");
    });
    await expect(outcome).rejects.toBeInstanceOf(QueueUnreachableError);
    await expect(outcome).rejects.toThrow(`Cannot reach Redis at ${url}`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
