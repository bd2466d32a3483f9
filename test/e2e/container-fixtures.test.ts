import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/containers/engine.js";
import { skipTitle } from "../helpers/skip.js";
import {
  baseImage,
  baseImageSkipReason,
  engineForTests,
  instanceImage,
} from "../support/container-images.js";
import { runInImage } from "../support/engine-api.js";
import { fixedHistoryRepo, LATER_REFS } from "../support/testbed-repo.js";

/**
 * The container test fixtures themselves: an instance image built through the engine API whose /testbed sits at
 * the base commit while the later history stays reachable through other refs, and whose fake conda activates as
 * SWE-bench's does. Needs a container engine (Podman's service in CI), and root with debootstrap the first time.
 */
const found = await engineForTests();
const skip = typeof found === "string" ? found : await baseImageSkipReason(found);

describe.skipIf(skip)(skipTitle("container test images", skip), () => {
  const engine = found as Engine;
  let image = "";
  let base = "";
  let later = "";
  let repoDir = "";

  beforeAll(async () => {
    repoDir = mkdtempSync(join(tmpdir(), "swe-review-fixture-repo-"));
    [base = "", later = ""] = fixedHistoryRepo(repoDir, [
      { message: "base", files: { "calc.py": "def add(a, b):\n    return a - b\n" } },
      { message: "fix add", files: { "calc.py": "def add(a, b):\n    return a + b\n", NEWS: "add fixed\n" } },
    ]);
    image = await instanceImage(engine, { name: "fixture-calc", repoDir, baseCommit: base });
  }, 900_000);

  it("/testbed is at the base commit, detached and clean, and the later commit is reachable from other refs", async () => {
    const refs = Object.values(LATER_REFS).join(" ");
    const run = await runInImage(
      engine,
      image,
      [
        "set -e",
        "cd /testbed",
        "git rev-parse HEAD",
        "git symbolic-ref -q HEAD || echo detached",
        'test -z "$(git status --porcelain)" && echo clean',
        "grep -c 'a - b' calc.py",
        `for ref in ${refs}; do echo "$ref $(git rev-parse --verify -q "$ref")"; done`,
        `git rev-list --all | grep -qx ${later} && echo later-in-all`,
        `git reflog show rewound | grep -c . ; git log -g --format=%H HEAD | grep -qx ${later} && echo later-in-head-reflog`,
        "git notes show HEAD | grep -q 'return a + b' && echo later-in-notes",
        "git stash show -p stash@{0} | grep -q 'return a + b' && echo later-in-stash",
      ].join("\n"),
    );
    expect(run.code, run.output).toBe(0);
    const lines = run.output.trim().split("\n");
    expect(lines.slice(0, 4)).toEqual([base, "detached", "clean", "1"]);
    for (const ref of Object.values(LATER_REFS))
      expect(run.output).toMatch(new RegExp(`${ref} [0-9a-f]{40}`));
    expect(run.output).toContain(`${LATER_REFS.branch} ${later}`);
    expect(run.output).toContain(`${LATER_REFS.remoteTracking} ${later}`);
    for (const marker of ["later-in-all", "later-in-head-reflog", "later-in-notes", "later-in-stash"]) {
      expect(run.output).toContain(marker);
    }
  });

  it("activates its conda as SWE-bench's eval.sh and .bashrc do, and has no Node.js", async () => {
    const run = await runInImage(
      engine,
      image,
      [
        "set -e",
        "command -v python",
        "source /opt/miniconda3/bin/activate",
        'echo "base=$CONDA_DEFAULT_ENV"',
        "conda activate testbed",
        'echo "env=$CONDA_DEFAULT_ENV prefix=$CONDA_PREFIX"',
        "command -v python",
        "python -c 'import mpmath, pytest, sys; print(sys.version_info[0])'",
        "pwd",
        "if command -v node || command -v nodejs; then echo has-node; fi",
        "bash -ic 'echo interactive=$CONDA_DEFAULT_ENV' 2>/dev/null",
      ].join("\n"),
    );
    expect(run.code, run.output).toBe(0);
    expect(run.output.trim().split("\n")).toEqual([
      "/usr/bin/python",
      "base=base",
      "env=testbed prefix=/opt/miniconda3/envs/testbed",
      "/opt/miniconda3/envs/testbed/bin/python",
      "3",
      "/testbed",
      "interactive=testbed",
    ]);
  });

  it("/testbed is root's: git works there as root without safe.directory, and refuses it as another user", async () => {
    const asRoot = await runInImage(
      engine,
      image,
      "stat -c '%u:%g' /testbed && git -C /testbed status --short && echo ok",
    );
    expect(asRoot.output.trim().split("\n")).toEqual(["0:0", "ok"]);
    // What an agent running as a non-root user would meet: SWE-bench images need it to run as root (or to be told
    // `git config --global --add safe.directory /testbed`).
    const asUser = await runInImage(engine, image, "git -C /testbed status --short", { user: "1000:1000" });
    expect(asUser.code).not.toBe(0);
    expect(asUser.output).toContain("dubious ownership");
  });

  it("builds nothing the second time: the same repository gives the same cached tags", async () => {
    const started = Date.now();
    expect(await baseImage(engine)).toMatch(/^localhost\/swe-review-test\/base:[0-9a-f]{12}$/);
    expect(await instanceImage(engine, { name: "fixture-calc", repoDir, baseCommit: base })).toBe(image);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
