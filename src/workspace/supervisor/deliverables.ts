import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** A deliverable as the supervisor found it, once nothing else ran (see the `collect` op). */
export type CollectedFile =
  | {
      kind: "file";
      text: string;
      /** How long before it was read the file last changed (its ctime), by this sandbox's clock. */
      changedAgoMs: number;
    }
  | { kind: "missing" }
  | { kind: "refused"; reason: string };

/**
 * Reads a file the agent may have planted anything at, by the host's rules (`readAgentFile`): never through a
 * symbolic link, never blocking on a FIFO, only a regular file with one link and at most `maxBytes`.
 */
export function collectFile(path: string, maxBytes: number): CollectedFile {
  let fd: number;
  try {
    fd = openSync(
      path,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "missing" };
    if (code === "ELOOP") return { kind: "refused", reason: "it is a symbolic link" };
    return { kind: "refused", reason: `it cannot be opened (${code ?? (error as Error).message})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { kind: "refused", reason: "it is not a regular file" };
    if (stat.nlink !== 1) return { kind: "refused", reason: `it has ${stat.nlink} hard links` };
    if (stat.size > maxBytes) {
      return { kind: "refused", reason: `it is larger than ${maxBytes} bytes (${stat.size} bytes)` };
    }
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return { kind: "refused", reason: `it is larger than ${maxBytes} bytes` };
    return {
      kind: "file",
      text: buffer.subarray(0, length).toString("utf8"),
      changedAgoMs: Math.max(0, Date.now() - stat.ctimeMs),
    };
  } finally {
    closeSync(fd);
  }
}
