import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import { pack } from "tar-stream";
import { SweReviewError } from "../common/errors.js";
import { supervisorFiles } from "../workspace/sandbox/supervisor-files.js";

/** Where the runtime appears in every container (read-only, from a volume of its own). */
export const RUNTIME_DIR = "/.swe-review";

/**
 * The programs swe-review brings into a container, so any image works, with or without Node.js, whatever its C
 * library: Node and `setpriv` with the very shared libraries they were linked with and the dynamic loader that runs
 * them (`ld.so --library-path`), and the compiled supervisor. The agent's shell and the harness's commands start
 * through `runPrefix`, which drops every capability before the image's bash or program starts (so the agent cannot
 * trace or signal-inspect the supervisor); nothing of the image runs before it, so nothing the agent replaced in the
 * image (`/bin/sh`) ever runs with the supervisor's capabilities.
 */
export interface RuntimeBundle {
  /** Content hash (names the volume: a changed build makes a new one). */
  hash: string;
  /** Host file → path under RUNTIME_DIR, with mode. */
  files: { host?: string; content?: Buffer; path: string; mode: number }[];
  /** The supervisor's command line inside the container. */
  supervisorArgv: string[];
  /** Prefix for the agent's bash and the programs the supervisor runs for the harness (capabilities dropped). */
  runPrefix: string[];
}

const LOADER = `${RUNTIME_DIR}/lib/ld.so`;
const LIBS = `${RUNTIME_DIR}/lib`;

/** Shared libraries a program needs, as `ldd` lists them (the loader apart). */
function sharedLibraries(program: string): { libs: string[]; loader: string } {
  let text: string;
  try {
    text = execFileSync("ldd", [program], { encoding: "utf8" });
  } catch (error) {
    throw new SweReviewError(
      "runtime_unavailable",
      `Could not list the libraries of ${program} (ldd: ${(error as Error).message}); the container backend needs glibc's ldd on this machine.`,
    );
  }
  const libs: string[] = [];
  let loader = "";
  for (const line of text.split("\n")) {
    const linked = /=>\s+(\/\S+)/.exec(line);
    if (linked?.[1]) libs.push(linked[1]);
    else {
      const direct = /^\s*(\/\S+ld-linux\S*)\s/.exec(line);
      if (direct?.[1]) loader = direct[1];
    }
  }
  if (!loader) {
    throw new SweReviewError("runtime_unavailable", `${program} has no dynamic loader in ldd's list.`);
  }
  return { libs, loader };
}

let cached: RuntimeBundle | undefined;

/** The bundle for this machine's Node and this build of swe-review (computed once per process). */
export function runtimeBundle(): RuntimeBundle {
  if (cached) return cached;
  const node = realpathSync(process.execPath);
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((path) => existsSync(path));
  if (!setpriv) {
    throw new SweReviewError(
      "runtime_unavailable",
      "setpriv is not installed; the container backend brings it into containers to drop the agent's capabilities. " +
        "Install util-linux (Debian/Ubuntu: apt-get install util-linux).",
      { exitCode: 3 },
    );
  }
  const files: RuntimeBundle["files"] = [];
  const libs = new Map<string, string>();
  let loader = "";
  for (const program of [node, setpriv]) {
    const found = sharedLibraries(program);
    loader = found.loader;
    for (const lib of found.libs) libs.set(basename(lib), realpathSync(lib));
  }
  files.push({ host: node, path: "bin/node", mode: 0o755 });
  files.push({ host: realpathSync(setpriv), path: "bin/setpriv", mode: 0o755 });
  files.push({ host: realpathSync(loader), path: "lib/ld.so", mode: 0o755 });
  for (const [name, host] of libs) files.push({ host, path: `lib/${name}`, mode: 0o644 });
  const supervisor = supervisorFiles();
  for (const name of readdirSync(supervisor.dir).filter((file) => file.endsWith(".js"))) {
    files.push({ host: join(supervisor.dir, name), path: `supervisor/${name}`, mode: 0o644 });
  }
  files.push({ content: Buffer.from('{"type":"module"}\n'), path: "package.json", mode: 0o644 });
  const setprivArgv = [
    LOADER,
    "--library-path",
    LIBS,
    `${RUNTIME_DIR}/bin/setpriv`,
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--no-new-privs",
    "--",
  ];
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file.path}\0${file.mode}\0`);
    if (file.content) hash.update(file.content);
    else if (file.host) {
      const stat = statSync(file.host);
      // Size and time stand for the large binaries; the supervisor's code is hashed whole.
      if (file.path.startsWith("supervisor/")) hash.update(readFileSync(file.host));
      else hash.update(`${stat.size}:${stat.mtimeMs}`);
    }
  }
  cached = {
    hash: hash.digest("hex").slice(0, 16),
    files,
    supervisorArgv: [
      LOADER,
      "--library-path",
      LIBS,
      `${RUNTIME_DIR}/bin/node`,
      `${RUNTIME_DIR}/supervisor/main.js`,
    ],
    runPrefix: setprivArgv,
  };
  return cached;
}

/** Files of a bundle as a tar stream, to unpack in the runtime folder (their folders made as they come). */
export function bundleTar(files: RuntimeBundle["files"]): Readable {
  const tar = pack();
  void (async () => {
    try {
      const dirs = new Set<string>();
      for (const file of files) {
        const dir = file.path.split("/").slice(0, -1).join("/");
        if (dir && !dirs.has(dir)) {
          dirs.add(dir);
          tar.entry({ name: dir, type: "directory", mode: 0o755 });
        }
        const content = file.content ?? readFileSync(file.host as string);
        await new Promise<void>((resolve, reject) =>
          tar.entry({ name: file.path, mode: file.mode, size: content.length }, content, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
      }
      tar.finalize();
    } catch (error) {
      tar.destroy(error as Error);
    }
  })();
  return tar as unknown as Readable;
}
