import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from "node:fs";
import { OpError, type StatResult } from "./protocol.js";

/** File operations on paths as the sandbox sees them. */
export function statPath(path: string): StatResult | null {
  try {
    const stat = statSync(path);
    return { kind: stat.isFile() ? "file" : stat.isDirectory() ? "directory" : "other", size: stat.size };
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === "ENOENT" ||
      (error as NodeJS.ErrnoException).code === "ENOTDIR"
    ) {
      return null;
    }
    throw asOpError(error);
  }
}

/**
 * Reads a regular file of at most `maxBytes`. What an agent or a candidate leaves behind decides nothing here: a
 * FIFO is opened without waiting for a writer and refused, a device (`/dev/zero`) is refused, and a file that grows
 * while it is read is cut off at the limit and refused, never read endlessly.
 */
export function readPath(path: string, maxBytes: number): { base64: string } {
  const fd = openFile(path, constants.O_RDONLY);
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new OpError("EISDIR", `Is a directory: '${path}'`);
    if (!stat.isFile()) throw new OpError("ENOTREG", `Not a regular file: '${path}'`);
    if (stat.size > maxBytes) throw new OpError("EFBIG", `File is too large (${stat.size} bytes)`);
    // Read to the end, trusting no size: /proc files say 0, and a file may grow while it is read.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, maxBytes + 1 - length));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) throw new OpError("EFBIG", `File is too large (over ${maxBytes} bytes)`);
    }
    return { base64: Buffer.concat(chunks).toString("base64") };
  } finally {
    closeSync(fd);
  }
}

/** Writes a regular file (created when missing); a FIFO or device in its place is refused rather than waited on. */
export function writePath(path: string, base64: string): void {
  const fd = openFile(path, constants.O_WRONLY | constants.O_CREAT);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new OpError("ENOTREG", `Not a regular file: '${path}'`);
    const data = Buffer.from(base64, "base64");
    // Truncate through the descriptor only once it is known to be a regular file.
    ftruncateSync(fd, 0);
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written, written);
  } finally {
    closeSync(fd);
  }
}

function openFile(path: string, flags: number): number {
  try {
    return openSync(path, flags | constants.O_NONBLOCK, 0o644);
  } catch (error) {
    throw asOpError(error);
  }
}

export function asOpError(error: unknown): OpError {
  if (error instanceof OpError) return error;
  const errno = error as NodeJS.ErrnoException;
  const reason = errno.message?.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "") ?? String(error);
  return new OpError(errno.code ?? "EIO", `${reason}: '${errno.path ?? ""}'`);
}
