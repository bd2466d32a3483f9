import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hostProcessesMatching,
  NO_BWRAP,
  openTestSandbox,
  type TestSandbox,
} from "../../../test/helpers/sandbox.js";
import { skipTitle } from "../../../test/helpers/skip.js";
import { waitUntil } from "../../../test/helpers/wait.js";

/**
 * What the supervisor does with what an agent or a candidate leaves behind: files that are not files, programs that
 * leave processes running, output written after the program ended.
 */
describe.skipIf(NO_BWRAP)(skipTitle("the supervisor's file and program operations", NO_BWRAP), () => {
  let box: TestSandbox;
  beforeAll(async () => {
    box = await openTestSandbox({ kind: "bwrap" });
    await box.shell.run(
      "mkfifo /testbed/fifo && ln -s /dev/zero /testbed/zero && mkdir /testbed/dir && head -c 4096 /dev/zero > /testbed/big",
      10_000,
    );
  });
  afterAll(async () => {
    await box?.dispose();
  });

  it("refuses a FIFO, a device and a directory, and a file over the limit, without waiting or reading endlessly", async () => {
    const started = Date.now();
    await expect(box.files.read("/testbed/fifo")).rejects.toMatchObject({ opCode: "ENOTREG" });
    await expect(box.files.read("/testbed/zero")).rejects.toMatchObject({ opCode: "ENOTREG" });
    await expect(box.files.read("/testbed/dir")).rejects.toMatchObject({ opCode: "EISDIR" });
    await expect(box.files.read("/testbed/big", 1024)).rejects.toMatchObject({ opCode: "EFBIG" });
    // No reader: opening it for writing fails at once (ENXIO) rather than waiting for one.
    await expect(box.files.write("/testbed/fifo", "x")).rejects.toMatchObject({
      opCode: expect.stringMatching(/^(ENXIO|ENOTREG)$/),
    });
    expect((await box.files.read("/testbed/big")).length).toBe(4096);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("kills what a program leaves running when it exits, so nothing writes to its output afterwards", async () => {
    const result = await box.files.run(["sh", "-c", "(sleep 0.5; echo LATE) & (sleep 3006 &); echo early"], {
      timeoutMs: 20_000,
    });
    expect(result).toMatchObject({ exitCode: 0, stdout: "early\n", timedOut: false, truncated: false });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(hostProcessesMatching("sleep 3006")).toEqual([]);
  });

  it("kills the whole process group at the time limit, and says when output was cut", async () => {
    const started = Date.now();
    const slow = await box.files.run(["sh", "-c", "sleep 3007 & sleep 3008; echo never"], { timeoutMs: 500 });
    expect(slow.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitUntil(
      () => [...hostProcessesMatching("sleep 3007"), ...hostProcessesMatching("sleep 3008")].length === 0,
      "the group to be gone",
      5_000,
    );
    const loud = await box.files.run(["sh", "-c", "head -c 10000 /dev/zero | tr '\\0' x"], {
      timeoutMs: 20_000,
      maxBytes: 100,
    });
    expect(loud).toMatchObject({ truncated: true, exitCode: 0 });
    expect(loud.stdout.length).toBe(100);
  });
});

describe.skipIf(NO_BWRAP)(skipTitle("the disk limit between commands", NO_BWRAP), () => {
  it("stops a background job that fills the workspace while no command runs, and says so with the next command", async () => {
    const box = await openTestSandbox({ kind: "bwrap", limits: { diskMb: 32 } });
    try {
      const started = await box.shell.run(
        "(for i in $(seq 200); do head -c 1048576 /dev/urandom > /testbed/bg-$i; sleep 0.02; done) > /dev/null 2>&1 & echo started",
        10_000,
      );
      expect(started.output).toContain("started");
      expect(started.disk).toBeNull();
      // The agent thinks; the job writes, until nothing new has appeared for two seconds.
      const newest = () =>
        Math.max(
          0,
          ...readdirSync(box.workspace.testbed)
            .filter((name) => name.startsWith("bg-"))
            .map((name) => statSync(join(box.workspace.testbed, name)).mtimeMs),
        );
      await waitUntil(() => newest() > 0 && Date.now() - newest() > 2_000, "the job to stop writing", 30_000);
      const next = await box.shell.run("ls /testbed | grep -c bg-", 10_000);
      expect(next.disk).toMatchObject({ jobsStopped: true, limitBytes: 32 * 1024 * 1024 });
      expect(Number(/^(\d+)$/m.exec(next.output)?.[1])).toBeLessThan(120);
    } finally {
      await box.dispose();
    }
  });
});
