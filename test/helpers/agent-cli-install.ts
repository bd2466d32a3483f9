import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { HAS_BWRAP } from "./sandbox.js";

/** A real agent CLI installed for the end-to-end tests: its bin folder, or why it could not be (the tests skip, saying so). */
export interface InstalledAgentCli {
  /** `node_modules/.bin` of its install: put it first on PATH to make `--generator <name>` find it. */
  bin: string;
  /** Why it is not usable here (no bubblewrap, or npm could not install it); undefined when it is. */
  skip: string | undefined;
}

/**
 * Installs an agent CLI from npm once, into a cache outside the repository (`~/.cache/swe-review-test/clis/<name>`):
 * a test-time dependency, not a devDependency, since some are hundreds of MB of native binaries that `npm ci` need
 * not fetch. Gives up quickly when the registry is unreachable (one retry, 30 s fetch timeout).
 */
export function installAgentCli(name: string, npmPackage: string, version: string): InstalledAgentCli {
  const prefix = join(
    process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"),
    "swe-review-test",
    "clis",
    name,
  );
  const bin = join(prefix, "node_modules", ".bin");
  if (!HAS_BWRAP) return { bin, skip: "bubblewrap is not installed" };
  if (existsSync(join(bin, name))) return { bin, skip: undefined };
  mkdirSync(prefix, { recursive: true });
  // Test files run in parallel, and two may need the same CLI: one installs, the other waits for it.
  const lock = `${prefix}.installing`;
  if (!takeLock(lock)) return { bin, skip: `another install of ${npmPackage} into ${prefix} did not finish` };
  try {
    if (existsSync(join(bin, name))) return { bin, skip: undefined };
    return npmInstall(name, npmPackage, version, prefix, bin);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Waits for the lock (a folder: made atomically) up to 10 minutes; a lock older than that is a dead install's. */
function takeLock(lock: string): boolean {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return true;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 600_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) return false;
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
}

function npmInstall(
  name: string,
  npmPackage: string,
  version: string,
  prefix: string,
  bin: string,
): InstalledAgentCli {
  const install = spawnSync(
    "npm",
    [
      "install",
      "--prefix",
      prefix,
      "--no-audit",
      "--no-fund",
      "--fetch-retries=1",
      "--fetch-timeout=30000",
      `${npmPackage}@${version}`,
    ],
    { encoding: "utf8", timeout: 600_000 },
  );
  if (install.status === 0 && existsSync(join(bin, name))) return { bin, skip: undefined };
  const reason =
    `${install.error?.message ?? ""} ${(install.stderr ?? "").trim().split("\n").slice(-2).join(" ")}`.trim();
  return {
    bin,
    skip: `npm could not install ${npmPackage}@${version} into ${prefix} (registry unreachable?): ${reason}`,
  };
}
