import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import Dockerode from "dockerode";
import { errorMessage, InputError } from "../common/errors.js";
import { redactUrl, redactUrlsIn } from "../common/redact-url.js";

/**
 * The container engine swe-review talks to: Docker, or Podman's Docker-compatible service, through the Docker Engine
 * API (dockerode). No `docker` or `podman` CLI is needed.
 */
export interface Engine {
  /** The API client. */
  docker: Dockerode;
  /** Where the engine is, for messages and records: `unix:///run/podman/podman.sock`, `tcp://host:2376`, with any
   * credentials in a DOCKER_HOST URL replaced by `[REDACTED]`. */
  where: string;
  /** Every place looked at before settling on `where`, redacted (named when the engine does not answer). */
  tried?: string[];
}

/** How an engine was found: the client's options and where it is, before anything is asked of it. */
export interface EngineLocation {
  options: Dockerode.DockerOptions;
  /** As `Engine.where`: credentials redacted. */
  where: string;
  /** Every place looked at, in order, redacted (for the message when none answers). */
  tried: string[];
}

/** Whether a path exists (a socket file): injected so discovery is testable without the machine's sockets. */
export type PathProbe = (path: string) => boolean;

const DOCKER_SOCKET = "/var/run/docker.sock";
const PODMAN_ROOTFUL = "/run/podman/podman.sock";

/** What a person without an engine should do, used in every "no engine" message. */
export const ENGINE_HELP =
  "Install Docker, or Podman: `apt-get install podman runc`, then `podman system service --time=0 " +
  "unix:///run/podman/podman.sock &` and `export DOCKER_HOST=unix:///run/podman/podman.sock`.";

/**
 * Where the engine is, decided from the environment alone (no connection is made). Order: `DOCKER_HOST`
 * (`unix://`, `tcp://` (TLS when `DOCKER_TLS_VERIFY` is set, certificates from `DOCKER_CERT_PATH` or `~/.docker`),
 * `ssh://user@host[:port]`), else `/var/run/docker.sock`, else Podman's rootful `/run/podman/podman.sock`, else its
 * rootless `$XDG_RUNTIME_DIR/podman/podman.sock`. Throws `InputError` (exit 3) for a malformed `DOCKER_HOST` or
 * missing TLS certificates, and `no_container_engine` when no socket exists, naming what was tried.
 */
export function locateEngine(
  env: NodeJS.ProcessEnv = process.env,
  exists: PathProbe = existsSync,
  readFile: (path: string) => Buffer = (path) => readFileSync(path),
): EngineLocation {
  const host = env.DOCKER_HOST?.trim();
  if (host) return fromDockerHost(host, env, readFile);
  const sockets = [DOCKER_SOCKET, PODMAN_ROOTFUL];
  if (env.XDG_RUNTIME_DIR) sockets.push(join(env.XDG_RUNTIME_DIR, "podman", "podman.sock"));
  const tried = sockets.map((socket) => `unix://${socket}`);
  const found = sockets.find((socket) => exists(socket));
  if (!found) {
    throw new InputError(
      "no_container_engine",
      `No container engine found: DOCKER_HOST is not set and none of ${tried.join(", ")} exists. ${ENGINE_HELP}`,
    );
  }
  return { options: socketOptions(found), where: `unix://${found}`, tried };
}

/** The engine `locateEngine` finds, with its API client. Connects to nothing: `checkEngine` does. */
export function findEngine(env: NodeJS.ProcessEnv = process.env, exists: PathProbe = existsSync): Engine {
  const location = locateEngine(env, exists);
  try {
    return { docker: new Dockerode(location.options), where: location.where, tried: location.tried };
  } catch (error) {
    throw new InputError(
      "bad_docker_host",
      `Cannot use the container engine at ${location.where}: ${redactUrlsIn(errorMessage(error))}. ${ENGINE_HELP}`,
    );
  }
}

/**
 * Pings the engine; an engine that does not answer is an `InputError` (exit 3) naming where it was looked for and
 * how to get one. `timeoutMs` bounds the wait (an ssh or tcp host that drops packets).
 */
export async function checkEngine(engine: Engine, options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    await withTimeout(engine.docker.ping(), timeoutMs, `no answer within ${timeoutMs} ms`);
  } catch (error) {
    throw new InputError(
      "container_engine_unreachable",
      `The container engine at ${engine.where} does not answer (${redactUrlsIn(errorMessage(error))}; ` +
        `looked at ${(engine.tried ?? [engine.where]).join(", ")}). ` +
        `Start it, or point DOCKER_HOST at one that runs. ${ENGINE_HELP}`,
      { cause: error },
    );
  }
}

/**
 * The engine's CPU architecture as Go names it (`amd64`, `arm64`), from `GET /version` (Docker and Podman both
 * answer `Arch`), else `GET /info` (`Architecture`: `x86_64`, `aarch64`, normalized to Go's names).
 */
export async function engineArchitecture(engine: Engine): Promise<string> {
  const version = (await engine.docker.version()) as { Arch?: string };
  if (version.Arch) return normalizeArch(version.Arch);
  const info = (await engine.docker.info()) as { Architecture?: string };
  return normalizeArch(info.Architecture ?? "unknown");
}

/** `x86_64` → `amd64`, `aarch64` → `arm64`; other names unchanged. */
export function normalizeArch(arch: string): string {
  if (arch === "x86_64") return "amd64";
  if (arch === "aarch64") return "arm64";
  return arch;
}

function socketOptions(path: string): Dockerode.DockerOptions {
  // docker-modem fills unset options from process.env's DOCKER_HOST (and its certificates): say explicitly there is
  // no host and no TLS, whatever the process environment says.
  return {
    socketPath: path,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
  } as Dockerode.DockerOptions;
}

function fromDockerHost(
  host: string,
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer,
): EngineLocation {
  const where = redactUrl(host);
  const tried = [`DOCKER_HOST=${where}`];
  const bad = (why: string) =>
    new InputError(
      "bad_docker_host",
      `DOCKER_HOST=${where}: ${why}. Use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host.`,
    );
  if (host.startsWith("unix://")) {
    const path = host.slice("unix://".length);
    if (!path.startsWith("/")) throw bad("expected an absolute socket path after unix://");
    return { options: socketOptions(path), where, tried };
  }
  let url: URL;
  try {
    url = new URL(host.includes("://") ? host : `tcp://${host}`);
  } catch {
    throw bad("not a URL");
  }
  if (!url.hostname) throw bad("no host name");
  if (url.protocol === "ssh:") {
    const sshOptions: Record<string, unknown> = {};
    if (env.SSH_AUTH_SOCK) sshOptions.agent = env.SSH_AUTH_SOCK;
    if (url.password) sshOptions.password = decodeURIComponent(url.password);
    return {
      options: {
        protocol: "ssh",
        host: url.hostname,
        port: Number(url.port || 22),
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        sshOptions,
      } as Dockerode.DockerOptions,
      where,
      tried,
    };
  }
  if (url.protocol !== "tcp:" && url.protocol !== "http:" && url.protocol !== "https:") {
    throw bad(`unsupported scheme ${url.protocol}`);
  }
  const tlsVerify = Boolean(env.DOCKER_TLS_VERIFY) && env.DOCKER_TLS_VERIFY !== "0";
  const tls = tlsVerify || url.protocol === "https:" || Boolean(env.DOCKER_CERT_PATH);
  const port = Number(url.port || (tls ? 2376 : 2375));
  const options: Dockerode.DockerOptions = { host: url.hostname, port, protocol: tls ? "https" : "http" };
  if (tls) {
    const certDir = env.DOCKER_CERT_PATH || join(env.HOME || homedir(), ".docker");
    const read = (name: string): Buffer | undefined => {
      const path = join(certDir, name);
      try {
        return readFile(path);
      } catch {
        if (tlsVerify) {
          throw new InputError(
            "bad_docker_tls",
            `DOCKER_TLS_VERIFY is set but ${path} cannot be read: put ca.pem, cert.pem and key.pem in ` +
              "DOCKER_CERT_PATH (or ~/.docker), or unset DOCKER_TLS_VERIFY for a plain tcp:// engine.",
          );
        }
        return undefined;
      }
    };
    const ca = read("ca.pem");
    const cert = read("cert.pem");
    const key = read("key.pem");
    if (ca) options.ca = ca;
    if (cert) options.cert = cert;
    if (key) options.key = key;
  }
  return { options, where, tried };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
