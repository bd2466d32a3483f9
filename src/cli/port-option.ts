import { InputError } from "../common/errors.js";

/** A `--port` value: a whole number from 0 (a free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65_535) {
    throw new InputError(
      "bad_port",
      `--port ${value}: expected a port number from 1 to 65535, or 0 for a free one.`,
    );
  }
  return port;
}

/**
 * Why a server could not listen on the port `--port` gave, as bad input (exit 3) saying what to do; other errors come
 * back unchanged.
 */
export function listenFailure(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") {
    return new InputError(
      "port_in_use",
      `--port ${port}: another program is already listening on 127.0.0.1:${port}. Stop it, give another --port, or leave --port out to use a free one.`,
      { cause: error },
    );
  }
  if (code === "EACCES" || code === "EPERM") {
    return new InputError(
      "port_denied",
      `--port ${port}: this user may not listen on it (ports below 1024 need privileges). Give a port from 1024 up, or leave --port out to use a free one.`,
      { cause: error },
    );
  }
  return error;
}
