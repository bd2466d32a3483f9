import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { errorMessage } from "../../src/common/errors.js";
import { checkEngine, type Engine, findEngine } from "../../src/containers/engine.js";
import { inspectImage } from "../../src/containers/images.js";
import { withDirectoryLock } from "../../src/workspace/lock.js";
import { buildImageFrom, readJsonLines } from "./engine-api.js";
import { FAKE_CONDA_STEPS, fakeCondaFiles } from "./fake-conda.js";
import { prepareTestbed } from "./testbed-repo.js";

/**
 * Images for container tests, made on this machine (no registry is reachable): a Debian base shaped like SWE-bench's
 * images (fake conda, no Node.js), and instance images FROM it with a repository at /testbed. Everything is cached
 * by content-hashed tag, so a second run reuses the images; the base's debootstrap root is also kept on disk.
 */

/** Bump to rebuild every fixture image (a change in how they are made that the hashes do not see). */
const FIXTURE_VERSION = 1;

/** The Debian packages of the base: Python with pytest and mpmath (sympy's checks), git and patch (the harness). */
export const BASE_PACKAGES = [
  "python3",
  "python-is-python3",
  "git",
  "patch",
  "python3-mpmath",
  "python3-pytest",
];

/** Where fixtures keep the debootstrap root and locks: `$SWE_REVIEW_TEST_CACHE`, else `~/.cache/swe-review/test-images`. */
export function fixtureCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.SWE_REVIEW_TEST_CACHE ||
    join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache"), "swe-review", "test-images")
  );
}

let engineAnswer: Promise<Engine | string> | undefined;

/**
 * The engine container tests use, or why there is none (a string: the skip reason, for `describe.skipIf` and
 * `skipTitle`). Asked once per test file.
 */
export function engineForTests(): Promise<Engine | string> {
  engineAnswer ??= (async () => {
    try {
      const engine = findEngine();
      await checkEngine(engine, { timeoutMs: 5_000 });
      return engine;
    } catch (error) {
      return `no container engine: ${errorMessage(error).split(". ")[0]}`;
    }
  })();
  return engineAnswer;
}

/**
 * Why `baseImage` cannot be had here (undefined when it can): it is neither on the engine nor buildable, which
 * needs root and debootstrap (and Debian's mirror) unless the debootstrap root is cached.
 */
export async function baseImageSkipReason(engine: Engine): Promise<string | undefined> {
  if (await inspectImage(engine, baseTag())) return undefined;
  if (existsSync(`${rootfsDir()}.done`)) return undefined;
  if (process.getuid?.() !== 0) return "building the base image needs root (debootstrap)";
  try {
    execFileSync("debootstrap", ["--version"], { stdio: "ignore" });
  } catch {
    return "building the base image needs debootstrap (apt-get install debootstrap)";
  }
  return undefined;
}

function baseHash(): string {
  const conda = JSON.stringify(fakeCondaFiles());
  return createHash("sha256")
    .update(JSON.stringify({ FIXTURE_VERSION, BASE_PACKAGES, conda, FAKE_CONDA_STEPS }))
    .digest("hex")
    .slice(0, 12);
}

function baseTag(): string {
  return `localhost/swe-review-test/base:${baseHash()}`;
}

function rootfsDir(): string {
  return join(fixtureCacheDir(), `bookworm-${baseHash()}`);
}

/**
 * Makes sure the base image exists and returns its tag, `localhost/swe-review-test/base:<hash>`: Debian bookworm
 * (minbase + `BASE_PACKAGES`, by debootstrap, about 80 s the first time; the root is kept on disk), imported through
 * the engine API (`POST /images/create?fromSrc=-`), plus the fake conda (`fake-conda.ts`). Safe to call from
 * several test files at once (a lock per hash).
 */
export async function baseImage(engine: Engine, log: (line: string) => void = () => {}): Promise<string> {
  const tag = baseTag();
  if (await inspectImage(engine, tag)) return tag;
  const cache = fixtureCacheDir();
  mkdirSync(cache, { recursive: true });
  return withDirectoryLock(
    join(cache, `base-${baseHash()}.lock`),
    async () => {
      if (await inspectImage(engine, tag)) return tag;
      const rootfs = rootfsDir();
      if (!existsSync(`${rootfs}.done`)) await debootstrap(rootfs, log);
      const rootTag = `localhost/swe-review-test/bookworm-rootfs:${baseHash()}`;
      if (!(await inspectImage(engine, rootTag))) {
        log(`importing ${rootfs} as ${rootTag}`);
        const tar = spawn("tar", ["-C", rootfs, "-c", "--numeric-owner", "."], {
          stdio: ["ignore", "pipe", "inherit"],
        });
        // `repo` carries the tag: Podman ignores a separate `tag` parameter on import.
        const answer = await engine.docker.importImage(tar.stdout, { repo: rootTag });
        await readJsonLines(answer, `importing ${rootTag}`);
      }
      const context = mkdtempSync(join(tmpdir(), "swe-review-base-"));
      try {
        for (const [path, file] of Object.entries(fakeCondaFiles())) {
          mkdirSync(dirname(join(context, path)), { recursive: true });
          writeFileSync(join(context, path), file.content);
          chmodSync(join(context, path), file.mode);
        }
        writeFileSync(
          join(context, "Dockerfile"),
          [
            `FROM ${rootTag}`,
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8",
            ...FAKE_CONDA_STEPS,
            'CMD ["/bin/bash"]',
            "",
          ].join("\n"),
        );
        log(`building ${tag}`);
        await buildImageFrom(engine, context, tag);
      } finally {
        rmSync(context, { recursive: true, force: true });
      }
      await engine.docker
        .getImage(rootTag)
        .remove()
        .catch(() => {});
      return tag;
    },
    { timeoutMs: 15 * 60_000 },
  );
}

async function debootstrap(rootfs: string, log: (line: string) => void): Promise<void> {
  const partial = `${rootfs}.partial`;
  rmSync(partial, { recursive: true, force: true });
  rmSync(rootfs, { recursive: true, force: true });
  log(`debootstrap bookworm into ${partial} (about 80 s)`);
  const args = ["--variant=minbase", `--include=${BASE_PACKAGES.join(",")}`, "bookworm", partial];
  await new Promise<void>((resolve, reject) => {
    const child = spawn("debootstrap", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`debootstrap ${args.join(" ")} failed (${code}):\n${stderr}`)),
    );
  });
  // Package caches are of no use in the image.
  rmSync(join(partial, "var", "cache", "apt", "archives"), { recursive: true, force: true });
  mkdirSync(join(partial, "var", "cache", "apt", "archives", "partial"), { recursive: true });
  renameSync(partial, rootfs);
  writeFileSync(`${rootfs}.done`, `${new Date().toISOString()}\n`);
}

/** What `instanceImage` builds: a repository at /testbed, as a SWE-bench instance image has it. */
export interface InstanceImageSpec {
  /** A short name for the tag: `localhost/swe-review-test/<name>:<hash>`. Lowercase letters, digits, `.`, `_`, `-`. */
  name: string;
  /** A git repository on the host; its HEAD is the "later" history the base commit precedes. */
  repoDir: string;
  /** The commit /testbed is checked out at (detached), as the instance's `base_commit`. */
  baseCommit: string;
  /**
   * Keep history after `baseCommit` reachable through other refs: a branch, an annotated tag, remote-tracking refs,
   * a stash, notes, and reflogs (to test that future-leak scrubbing finds them all). Default true.
   */
  laterRefs?: boolean;
}

/**
 * Makes sure an image FROM `baseImage` with `repoDir` at /testbed (owned by root, as in SWE-bench's images, so git
 * needs no `safe.directory` there as root, and refuses the repository as any other user) exists, and returns its
 * tag. The tag's hash covers the base, the repository's refs, the base commit and `laterRefs`, so an unchanged
 * repository reuses the image.
 */
export async function instanceImage(
  engine: Engine,
  spec: InstanceImageSpec,
  log: (line: string) => void = () => {},
): Promise<string> {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(spec.name)) throw new Error(`instanceImage: bad name ${spec.name}`);
  const base = await baseImage(engine, log);
  const laterRefs = spec.laterRefs ?? true;
  const refs = execFileSync(
    "git",
    ["-C", spec.repoDir, "for-each-ref", "--format=%(objectname) %(refname)"],
    {
      encoding: "utf8",
    },
  );
  const head = execFileSync("git", ["-C", spec.repoDir, "rev-parse", "HEAD"], { encoding: "utf8" });
  const hash = createHash("sha256")
    .update(JSON.stringify({ FIXTURE_VERSION, base, refs, head, baseCommit: spec.baseCommit, laterRefs }))
    .digest("hex")
    .slice(0, 12);
  const tag = `localhost/swe-review-test/${spec.name}:${hash}`;
  if (await inspectImage(engine, tag)) return tag;
  const context = mkdtempSync(join(tmpdir(), "swe-review-instance-"));
  try {
    prepareTestbed(spec.repoDir, join(context, "testbed"), spec.baseCommit, laterRefs);
    writeFileSync(
      join(context, "Dockerfile"),
      [`FROM ${base}`, "COPY testbed /testbed", "WORKDIR /testbed", ""].join("\n"),
    );
    log(`building ${tag}`);
    await buildImageFrom(engine, context, tag);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  await removeOtherTags(engine, `localhost/swe-review-test/${spec.name}`, tag);
  return tag;
}

/** Removes the images of `repository` other than `keep` (earlier builds of a changed fixture), if unused. */
async function removeOtherTags(engine: Engine, repository: string, keep: string): Promise<void> {
  const images = await engine.docker.listImages({ filters: { reference: [repository] } });
  for (const image of images) {
    for (const tag of image.RepoTags ?? []) {
      if (tag !== keep && tag.startsWith(`${repository}:`))
        await engine.docker
          .getImage(tag)
          .remove()
          .catch(() => {});
    }
  }
}
