import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from "node:fs";

/**
 * A file an agent left in its workspace, as the host reads it: its text, that it is missing, or why it was refused.
 * Refused files are not read at all.
 */
export type AgentFile =
  | {
      kind: "file";
      text: string;
      /** When the file last changed (its ctime, ms since the epoch): set by the kernel, no process can choose it. */
      changedAtMs: number;
    }
  | { kind: "missing" }
  | { kind: "refused"; reason: string };

/** The most a deliverable (`/review_report.json`, `/pr_content.json`) may hold: far more than any real one. */
export const DELIVERABLE_MAX_BYTES = 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

/** Whether `path` is a regular file itself: a symbolic link is not, wherever it points (it is never followed). */
export function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads a file an agent may have planted anything at, without trusting it: opened without following a symbolic
 * link and without blocking (a FIFO), then checked on the open descriptor (no race with a swap): it must be a
 * regular file with one link and at most `maxBytes`, of which at most `maxBytes + 1` are ever read. Anything else is
 * refused with the reason, so a link to a host file, a FIFO, `/dev/zero` or a huge file is never read.
 */
export function readAgentFile(path: string, maxBytes: number): AgentFile {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "missing" };
    if (code === "ELOOP") return refused("it is a symbolic link");
    return refused(`it cannot be opened (${code ?? (error as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return refused(`it is ${kindOf(stat)}, not a regular file`);
    if (stat.nlink !== 1) return refused(`it has ${stat.nlink} hard links`);
    if (stat.size > maxBytes) return refused(tooLarge(maxBytes, `${stat.size} bytes`));
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return refused(tooLarge(maxBytes, "it grew while being read"));
    return { kind: "file", text: buffer.subarray(0, length).toString("utf8"), changedAtMs: stat.ctimeMs };
  } finally {
    closeSync(fd);
  }
}

function refused(reason: string): AgentFile {
  return { kind: "refused", reason };
}

function tooLarge(maxBytes: number, actual: string): string {
  return `it is larger than ${maxBytes} bytes (${actual})`;
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "an unknown kind of file";
}
