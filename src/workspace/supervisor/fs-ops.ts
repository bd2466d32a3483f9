import { spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { OpError, type RunResult, type StatResult } from "./protocol.js";

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

export function readPath(path: string, maxBytes: number): { base64: string } {
  const stat = statPath(path);
  if (stat === null) throw new OpError("ENOENT", `No such file or directory: '${path}'`);
  if (stat.kind === "directory") throw new OpError("EISDIR", `Is a directory: '${path}'`);
  if (stat.size > maxBytes) throw new OpError("EFBIG", `File is too large (${stat.size} bytes)`);
  try {
    return { base64: readFileSync(path).toString("base64") };
  } catch (error) {
    throw asOpError(error);
  }
}

export function writePath(path: string, base64: string): void {
  try {
    writeFileSync(path, Buffer.from(base64, "base64"));
  } catch (error) {
    throw asOpError(error);
  }
}

/** Runs a program to completion, with a time limit and bounded output (`truncated`: more was printed than kept). */
export function runProgram(
  argv: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number; maxBytes: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) {
      resolve({ exitCode: null, stdout: "", stderr: "empty command", timedOut: false, truncated: false });
      return;
    }
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (size < options.maxBytes) into.push(chunk.subarray(0, options.maxBytes - size));
      size += chunk.length;
    };
    child.stdout.on("data", collect(out));
    child.stderr.on("data", collect(err));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ exitCode: null, stdout: "", stderr: error.message, timedOut: false, truncated: false });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        exitCode: code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
        truncated: size > options.maxBytes,
      });
    });
  });
}

function asOpError(error: unknown): OpError {
  const errno = error as NodeJS.ErrnoException;
  const reason = errno.message?.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "") ?? String(error);
  return new OpError(errno.code ?? "EIO", `${reason}: '${errno.path ?? ""}'`);
}
