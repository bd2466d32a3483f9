import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { skipTitle, unless } from "../../test/helpers/skip.js";

const IS_ROOT = process.getuid?.() === 0;
const MODULE = fileURLToPath(new URL("../../dist/workspace/remove-tree.js", import.meta.url));

/** Whether nobody (uid 65534) can load the built module: not when the checkout is under a private folder. */
const NOBODY_CAN_LOAD =
  IS_ROOT &&
  spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "test", "-r", MODULE]).status ===
    0;

// Root is not stopped by folder permissions: the case is an unprivileged user's, so the removal runs as nobody
// (which needs root to start, and a checkout nobody can read).
const noNobody = unless(
  NOBODY_CAN_LOAD,
  IS_ROOT
    ? "uid 65534 cannot read the built module (the checkout is under a private folder, or dist/ is not built)"
    : "needs root (to lock files as uid 65534)",
);
describe.skipIf(noNobody)(skipTitle("removing a workspace an agent locked", noNobody), () => {
  it("removes folders the agent made unreadable (chmod 000), following no link", () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-rmtree-"));
    chmodSync(root, 0o777);
    const workspace = join(root, "ws");
    const outside = join(root, "outside");
    mkdirSync(join(workspace, "testbed", "locked", "deeper"), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(workspace, "testbed", "locked", "deeper", "file"), "x");
    writeFileSync(join(outside, "keep"), "not the workspace's");
    spawnSync("ln", ["-s", outside, join(workspace, "testbed", "locked", "link")]);
    spawnSync("chown", ["-R", "-h", "65534:65534", workspace]);
    chownSync(outside, 0, 0);
    chmodSync(join(workspace, "testbed", "locked", "deeper"), 0);
    chmodSync(join(workspace, "testbed", "locked"), 0);
    const removal = spawnSync(
      "setpriv",
      [
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        process.execPath,
        "--input-type=module",
        "-e",
        `const { removeTree } = await import(${JSON.stringify(MODULE)}); await removeTree(${JSON.stringify(workspace)});`,
      ],
      { encoding: "utf8" },
    );
    expect(removal.stderr).toBe("");
    expect(existsSync(workspace)).toBe(false);
    expect(existsSync(join(outside, "keep"))).toBe(true);
  });
});
