import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RepoCache } from "../../src/workspace/repo-cache.js";
import { resolveRepoSource } from "../../src/workspace/repo-source.js";
import { runCli } from "../helpers/cli.js";
import { TempRepo } from "../helpers/git-repo.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

/** Temp folders this file made, removed at its end. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "swe-review-future-"));
  made.push(root);
  return root;
}

/** Later content, each kind in its own place: markers no file outside the test can hold. */
const LATER = ["MAIN", "BRANCH", "TAG", "TAGBLOB", "NOTE", "PULL", "STASH", "STRAY"] as const;

/**
 * A repository whose base commit is followed by: a commit on the same branch, a branch, an annotated tag, a tag of
 * a bare blob, a note on the base commit, a pull-request ref, a stash (uncommitted work) and a blob no ref reaches.
 * Each holds `FUTURE-<kind>-<suffix>` in a new file, so git stores it whole (zlib), not as a delta.
 */
function futureRepo() {
  const suffix = randomBytes(8).toString("hex");
  const marker = (kind: string) => `FUTURE-${kind}-${suffix}\n`;
  const repo = new TempRepo();
  made.push(repo.dir);
  repo.commit("first", { "app.py": "def add(a, b):\n    return a - b\n", "README.md": "demo\n" });
  // The base's own content: what the probe must find (proof that it reads the history's packs).
  const base = repo.commit("base", {
    "past.txt": `PAST-BASE-${suffix}\n`,
    "app.py": "def add(a, b):\n    return a-b\n",
  });
  repo.commit("the real fix", { "fix.txt": marker("MAIN"), "app.py": "def add(a, b):\n    return a + b\n" });
  repo.git("tag", "-a", "v2", "-m", marker("TAG"));
  repo.git("checkout", "--quiet", "-b", "feature", base);
  repo.commit("a branch", { "branch.txt": marker("BRANCH") });
  repo.git("checkout", "--quiet", "-b", "pr", base);
  const pull = repo.commit("a pull request", { "pull.txt": marker("PULL") });
  repo.git("checkout", "--quiet", "main");
  repo.git("branch", "-D", "pr");
  repo.git("update-ref", "refs/pull/1/head", pull);
  repo.git("notes", "add", "-m", marker("NOTE"), base);
  repo.write({ "stash.txt": marker("STASH") });
  repo.git("add", "stash.txt");
  repo.git("stash");
  repo.git("tag", "blob-tag", writeBlob(repo, marker("TAGBLOB")));
  writeBlob(repo, marker("STRAY"));
  return { repo, base, suffix };
}

function writeBlob(repo: TempRepo, content: string): string {
  const path = join(repo.dir, ".git", "blob.tmp");
  repo.write({ ".git/blob.tmp": content });
  return repo.git("hash-object", "-w", path).trim();
}

/**
 * Runs inside the sandbox. Reads every readable file outside the host's system folders (bound read-only from the
 * host, where the test's temp folders cannot be): the markers in plain text, in every zlib stream (how git stores
 * objects, loose or packed), and the object ids of every pack (indexed from the pack data itself) and loose object.
 * Also what the agent's git lists, and the mount points.
 */
const PROBE = String.raw`
import json, os, re, subprocess, sys, zlib
suffix, kinds, hidden = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
markers = [(k + "-" + suffix).encode() for k in kinds]
system = {"/proc", "/sys", "/dev", "/usr", "/etc", "/opt", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}
found, packs, loose, files = [], [], [], 0
for root, dirs, names in os.walk("/"):
    if root == "/":
        dirs[:] = [d for d in dirs if "/" + d not in system]
    for name in names:
        path = os.path.join(root, name)
        if os.path.islink(path) or not os.path.isfile(path) or os.path.getsize(path) > 256 << 20:
            continue
        try:
            data = open(path, "rb").read()
        except OSError:
            continue
        files += 1
        found += [[path, m.decode(), "plain"] for m in markers if m in data]
        at = data.find(b"\x78")
        while at != -1:
            if data[at + 1:at + 2] in (b"\x01", b"\x5e", b"\x9c", b"\xda"):
                try:
                    text = zlib.decompressobj().decompress(data[at:], 1 << 24)
                    found += [[path, m.decode(), "zlib"] for m in markers if m in text]
                except zlib.error:
                    pass
            at = data.find(b"\x78", at + 1)
        if name.endswith(".pack"):
            packs.append(path)
        if re.fullmatch("[0-9a-f]{38}", name) and re.fullmatch("[0-9a-f]{2}", os.path.basename(root)):
            loose.append(os.path.basename(root) + name)
packed = []
for n, pack in enumerate(packs):
    idx = "/tmp/probe-%d.idx" % n
    subprocess.run(["git", "index-pack", "-o", idx, pack], cwd="/tmp", check=True, capture_output=True)
    with open(idx, "rb") as index:
        out = subprocess.run(["git", "show-index"], stdin=index, capture_output=True, check=True).stdout
    packed += [line.split()[1] for line in out.decode().splitlines()]
git = lambda *args: subprocess.run(["git", *args], cwd="/testbed", capture_output=True, check=True).stdout.decode().split()
print(json.dumps({
    "files": files, "packs": packs, "packed": sorted(set(packed)), "loose": loose,
    "found": sorted(set(tuple(f) for f in found)),
    "catFile": git("cat-file", "--batch-all-objects", "--batch-check=%(objectname)"),
    "logAll": git("log", "--all", "--format=%H"),
    "refs": git("for-each-ref", "--format=%(refname)"),
    "mounts": [line.split()[4] for line in open("/proc/self/mountinfo")],
    "visible": [path for path in hidden if os.path.exists(path)],
}))
`;

/** What the probe reports. */
interface Probe {
  files: number;
  packs: string[];
  packed: string[];
  loose: string[];
  /** [path, marker, "plain" | "zlib"] */
  found: Array<[string, string, string]>;
  catFile: string[];
  logAll: string[];
  refs: string[];
  mounts: string[];
  visible: string[];
}

/** Runs `command` in a fresh sandboxed workspace at `base` through the built CLI. */
async function inSandbox(repo: TempRepo, base: string, command: string, root: string) {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: join(root, "home"),
    XDG_CACHE_HOME: join(root, "cache"),
    TMPDIR: join(root, "tmp"),
  };
  mkdirSync(env.TMPDIR, { recursive: true });
  const result = await runCli(["sandbox", "--repo", repo.dir, "--base", base, "--", command], {
    env,
    timeoutMs: 240_000,
  });
  expect(result.stderr).toMatch(/\[exit 0; commit [0-9a-f]{12}; bwrap sandbox\]/);
  return result.stdout;
}

describe.skipIf(NO_BWRAP)(skipTitle("an agent's checkout holds nothing after its base", NO_BWRAP), () => {
  it("lists, logs and finds no later object: not by git, not in any file it can read, not in pack files", async () => {
    const { repo, base, suffix } = futureRepo();
    const root = tempRoot();
    const mirror = new RepoCache(join(root, "cache", "swe-review", "repos")).mirrorPath(
      resolveRepoSource(repo.dir),
    );
    const probe = Buffer.from(PROBE).toString("base64");
    // The markers' prefix is joined inside the sandbox: the command itself must not hold them.
    const kinds = [...LATER.map((kind) => `FUT""URE-${kind}`), `PA""ST-BASE`].join(",");
    const command =
      `echo ${probe} | base64 -d > /tmp/probe.py && ` +
      `python3 /tmp/probe.py ${suffix} ${kinds} ${mirror} ${repo.dir} ${join(mirror, "objects")}`;
    const seen = JSON.parse(await inSandbox(repo, base, command, root)) as Probe;
    if (process.env.SWE_REVIEW_DEBUG_PROBE) console.log(JSON.stringify(seen, null, 1));

    const reachable = new Set(
      repo
        .git("rev-list", "--objects", base)
        .split("\n")
        .filter(Boolean)
        .map((line) => line.slice(0, 40)),
    );
    const everything = repo
      .git("cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
      .trim()
      .split("\n");
    const later = everything.filter((object) => !reachable.has(object));
    expect(later.length).toBeGreaterThanOrEqual(LATER.length);
    const isLater = (object: string) => later.includes(object);

    // git in the sandbox: exactly the base's history, no ref beyond HEAD
    expect([...seen.catFile].sort()).toEqual([...reachable].sort());
    expect(seen.logAll).toEqual(repo.git("rev-list", base).trim().split("\n"));
    expect(seen.refs).toEqual([]);
    // every pack and loose object the sandbox can read: none later (the base's history is there)
    expect(seen.packs.length).toBeGreaterThan(0);
    expect(seen.packed.filter(isLater)).toEqual([]);
    expect(seen.loose.filter(isLater)).toEqual([]);
    expect(seen.packed).toEqual(expect.arrayContaining([...reachable]));
    // file contents, plain or compressed: only the base's marker, in its checkout and in its history's pack
    expect(seen.found.filter(([, marker]) => marker.startsWith("FUTURE"))).toEqual([]);
    const past = seen.found.filter(([, marker]) => marker === `PAST-BASE-${suffix}`);
    expect(past).toContainEqual(["/testbed/past.txt", `PAST-BASE-${suffix}`, "plain"]);
    expect(past.some(([path, , how]) => path.endsWith(".pack") && how === "zlib")).toBe(true);
    // the mirror and the user's clone are not there; the only cache folder mounted is the base's history
    expect(seen.visible).toEqual([]);
    const cacheMounts = seen.mounts.filter((path) => path.startsWith(join(root, "cache")));
    expect(cacheMounts).toHaveLength(1);
    expect(cacheMounts[0]).toMatch(new RegExp(`\\.history/${base}/objects$`));
    expect(seen.files).toBeGreaterThan(10);
  });

  it("still gives agents git (log, blame, diff, status, add, commit, stash, fsck, gc) and cannot change the history", async () => {
    const { repo, base } = futureRepo();
    const root = tempRoot();
    const output = await inSandbox(
      repo,
      base,
      [
        "H=$(cat .git/objects/info/alternates)",
        "for f in $H/evil $H/pack/evil; do (echo x > $f) 2>&1 | grep -o 'Read-only file system\\|Permission denied'; done | sort -u | paste -sd,",
        "git log --format=%s | paste -sd,",
        "git blame --porcelain app.py | grep -E '^[0-9a-f]{40} ' | cut -c1-40 | paste -sd,",
        "git fsck --no-dangling 2>&1 | wc -l",
        "sed -i 's/a-b/a + b/' app.py && git diff --stat | tail -1",
        "git status --porcelain",
        "echo new > new.txt && git add -A && git commit -qm 'agent fix' && git log --format=%s | paste -sd,",
        "echo wip >> README.md && git stash -q && git status --porcelain | wc -l && git stash pop -q && git status --porcelain",
        "git gc -q --prune=now && git log --format=%s | paste -sd, && ls $H/pack | grep -c '^pack-.*\\.pack$'",
      ].join("\n"),
      root,
    );
    const first = repo.git("rev-parse", `${base}~1`).trim();
    const [denied, ...lines] = output.split("\n");
    expect(denied).toMatch(/^(Read-only file system|Permission denied)$/);
    expect(lines).toEqual([
      "base,first",
      `${first},${base}`,
      "0",
      " 1 file changed, 1 insertion(+), 1 deletion(-)",
      " M app.py",
      "agent fix,base,first",
      "0",
      " M README.md",
      "agent fix,base,first",
      "1",
      "",
    ]);
    expect(readdirSync(join(root, "tmp", "swe-review-workspaces"))).toEqual([]);
  });
});

describe("base histories under concurrency", () => {
  it("are made once when several workers start at the same base at once", async () => {
    const { repo, base } = futureRepo();
    const root = tempRoot();
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: root,
      XDG_CACHE_HOME: join(root, "cache"),
      TMPDIR: root,
    };
    const count = "git cat-file --batch-all-objects --batch-check | wc -l";
    const runs = await Promise.all(
      [1, 2, 3, 4].map(() =>
        runCli(["sandbox", "--repo", repo.dir, "--base", base, "--sandbox", "local", "--", count], {
          env,
          timeoutMs: 240_000,
        }),
      ),
    );
    const objects = repo.git("rev-list", "--objects", base).trim().split("\n").length;
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(String(objects));
    }
    expect(runs.filter((run) => run.stderr.includes("base history packed"))).toHaveLength(1);
    const repos = join(root, "cache", "swe-review", "repos");
    const histories = readdirSync(repos).filter((name) => name.endsWith(".history"));
    expect(histories).toHaveLength(1);
    // one history, whole: no lock or half-made copy left
    expect(readdirSync(join(repos, histories[0] ?? ""))).toEqual([base]);
  });
});
