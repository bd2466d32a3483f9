import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CgroupLimits } from "./cgroup.js";

describe("cgroup v2 limits", () => {
  // The kernel's cgroup v2 interface as files: this machine runs v1, so the v2 branch is exercised on a copy of the
  // files it reads and writes.
  it("enables the pids and memory controllers on its own parent group, which v2 requires for the limits to exist", () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-cgroup2-"));
    writeFileSync(join(root, "cgroup.controllers"), "cpuset cpu io memory pids\n");
    writeFileSync(join(root, "cgroup.subtree_control"), "memory pids\n");
    mkdirSync(join(root, "swe-review", "ws-1"), { recursive: true });
    writeFileSync(join(root, "swe-review", "cgroup.subtree_control"), "");
    const limits = CgroupLimits.create("ws-1", { pidsMax: 64, memoryMb: 256 }, root);
    expect(limits?.procsFiles).toEqual([join(root, "swe-review", "ws-1", "cgroup.procs")]);
    expect(readFileSync(join(root, "swe-review", "cgroup.subtree_control"), "utf8")).toBe("+pids +memory");
    expect(readFileSync(join(root, "swe-review", "ws-1", "pids.max"), "utf8")).toBe("64");
    expect(readFileSync(join(root, "swe-review", "ws-1", "memory.max"), "utf8")).toBe(
      String(256 * 1024 * 1024),
    );
  });
});
