import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readAgentFile } from "./agent-file.js";

const CAP = 1024;

function folder(): string {
  return mkdtempSync(join(tmpdir(), "swe-review-agent-file-"));
}

describe("readAgentFile", () => {
  it("reads a regular file, with when it last changed", () => {
    const dir = folder();
    const before = Date.now();
    writeFileSync(join(dir, "report.json"), '{"ok": true}');
    const file = readAgentFile(join(dir, "report.json"), CAP);
    expect(file).toMatchObject({ kind: "file", text: '{"ok": true}' });
    if (file.kind !== "file") throw new Error("unreachable");
    expect(file.changedAtMs).toBeGreaterThanOrEqual(before - 20);
    expect(file.changedAtMs).toBeLessThanOrEqual(Date.now() + 1);
  });

  it("says a missing file is missing", () => {
    expect(readAgentFile(join(folder(), "nothing.json"), CAP)).toEqual({ kind: "missing" });
  });

  it("never follows a symbolic link: a host secret stays unread", () => {
    const dir = folder();
    writeFileSync(join(dir, "secret"), "HOST-SECRET");
    symlinkSync(join(dir, "secret"), join(dir, "report.json"));
    const file = readAgentFile(join(dir, "report.json"), CAP);
    expect(file).toEqual({ kind: "refused", reason: "it is a symbolic link" });
    expect(JSON.stringify(file)).not.toContain("HOST-SECRET");
  });

  it("refuses a link to /dev/zero without reading it", () => {
    const dir = folder();
    symlinkSync("/dev/zero", join(dir, "report.json"));
    expect(readAgentFile(join(dir, "report.json"), CAP)).toMatchObject({ kind: "refused" });
  });

  it("refuses a FIFO at once, without waiting for a writer", () => {
    const dir = folder();
    execFileSync("mkfifo", [join(dir, "report.json")]);
    const started = Date.now();
    expect(readAgentFile(join(dir, "report.json"), CAP)).toEqual({
      kind: "refused",
      reason: "it is a FIFO, not a regular file",
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("refuses a directory", () => {
    const dir = folder();
    mkdirSync(join(dir, "report.json"));
    expect(readAgentFile(join(dir, "report.json"), CAP)).toEqual({
      kind: "refused",
      reason: "it is a directory, not a regular file",
    });
  });

  it("refuses a file with a second hard link", () => {
    const dir = folder();
    writeFileSync(join(dir, "elsewhere"), "{}");
    linkSync(join(dir, "elsewhere"), join(dir, "report.json"));
    expect(readAgentFile(join(dir, "report.json"), CAP)).toEqual({
      kind: "refused",
      reason: "it has 2 hard links",
    });
  });

  it("reads a file of exactly the cap, and refuses one byte more without reading it", () => {
    const dir = folder();
    writeFileSync(join(dir, "full.json"), "x".repeat(CAP));
    expect(readAgentFile(join(dir, "full.json"), CAP)).toMatchObject({ kind: "file", text: "x".repeat(CAP) });
    writeFileSync(join(dir, "over.json"), "x".repeat(CAP + 1));
    expect(readAgentFile(join(dir, "over.json"), CAP)).toEqual({
      kind: "refused",
      reason: `it is larger than ${CAP} bytes (${CAP + 1} bytes)`,
    });
    // a sparse 10 GiB file costs nothing to refuse
    writeFileSync(join(dir, "huge.json"), "");
    truncateSync(join(dir, "huge.json"), 10 * 1024 ** 3);
    expect(readAgentFile(join(dir, "huge.json"), CAP)).toMatchObject({ kind: "refused" });
  });
});
