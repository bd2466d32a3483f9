import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { worktreeDependencies } from "./worktree-deps.js";

const OPTIONS = { testbed: "/testbed", path: "/usr/bin:/bin" };

/** A folder standing in for a user's home: credentials, and a Python installed into it (`~/bin`, `~/lib`). */
function homeWithPython(root: string): string {
  const home = join(root, "home");
  mkdirSync(join(home, ".ssh"), { recursive: true });
  writeFileSync(join(home, ".ssh", "id_ed25519"), "PRIVATE KEY\n");
  mkdirSync(join(home, "bin"));
  writeFileSync(join(home, "bin", "python3"), "");
  mkdirSync(join(home, "lib", "python3.12"), { recursive: true });
  return home;
}

function venvAt(dir: string, home: string): void {
  mkdirSync(join(dir, "bin"), { recursive: true });
  writeFileSync(join(dir, "pyvenv.cfg"), `home = ${home}\ninclude-system-site-packages = false\n`);
}

describe("worktreeDependencies", () => {
  it("exposes node_modules and a virtualenv, with only the bin and lib folders of the Python it was made from", () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-worktree-deps-"));
    const home = homeWithPython(root);
    const worktree = join(root, "project");
    mkdirSync(join(worktree, "node_modules"), { recursive: true });
    venvAt(join(worktree, ".venv"), join(home, "bin"));
    const deps = worktreeDependencies(worktree, OPTIONS);
    expect(deps.folders).toEqual(["node_modules", ".venv"]);
    expect(deps.mounts).toContainEqual({ source: join(worktree, ".venv"), dest: "/testbed/.venv" });
    expect(deps.readOnly).toEqual([join(home, "bin"), join(home, "lib")]);
    expect(deps.agentEnv.VIRTUAL_ENV).toBe("/testbed/.venv");
  });

  it("exposes no folder a committed pyvenv.cfg names that is not a Python's bin", () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-worktree-deps-"));
    const home = homeWithPython(root);
    const worktree = join(root, "project");
    venvAt(join(worktree, ".venv"), join(home, ".ssh"));
    const deps = worktreeDependencies(worktree, OPTIONS);
    expect(deps.folders).toEqual([".venv"]);
    expect(deps.readOnly).toEqual([]);
    // `home = /` exposed the whole host (the root is its own parent).
    venvAt(join(worktree, ".venv"), "/");
    expect(worktreeDependencies(worktree, OPTIONS).readOnly).toEqual([]);
  });

  it("follows no committed link to a folder that is not what its name says", () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-worktree-deps-"));
    const home = homeWithPython(root);
    const worktree = join(root, "project");
    mkdirSync(worktree);
    symlinkSync(home, join(worktree, "node_modules"));
    symlinkSync(join(home, ".ssh"), join(worktree, ".venv"));
    symlinkSync(home, join(worktree, "venv"));
    expect(() => worktreeDependencies(worktree, OPTIONS)).toThrow(/has none of node_modules/);

    // A node_modules kept elsewhere, and a virtualenv made elsewhere, are fine.
    const kept = join(root, "kept");
    mkdirSync(join(kept, "node_modules"), { recursive: true });
    venvAt(join(kept, "env"), join(home, "bin"));
    const other = join(root, "other");
    mkdirSync(other);
    symlinkSync(join(kept, "node_modules"), join(other, "node_modules"));
    symlinkSync(join(kept, "env"), join(other, ".venv"));
    const deps = worktreeDependencies(other, OPTIONS);
    expect(deps.folders).toEqual(["node_modules", ".venv"]);
    expect(deps.mounts).toContainEqual({ source: join(kept, "env"), dest: join(kept, "env") });
  });
});
