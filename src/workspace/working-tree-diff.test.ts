import { describe, expect, it } from "vitest";
import { TempRepo } from "../../test/helpers/git-repo.js";
import { workingTreeDiff } from "./working-tree-diff.js";

describe("workingTreeDiff", () => {
  it("includes modified, staged and new files, leaves ignored ones out, and changes nothing", async () => {
    const repo = new TempRepo();
    const base = repo.commit("base", { "a.py": "a = 1\n", ".gitignore": "*.log\n" });
    repo.write({ "a.py": "a = 2\n", "new/b.py": "b = 1\n", "debug.log": "noise\n", "staged.py": "s = 1\n" });
    repo.git("add", "staged.py");
    const before = [
      repo.git("status", "--porcelain"),
      repo.git("diff", "--cached", "--name-only"),
      repo.git("rev-parse", "HEAD"),
    ];
    const { diff, commit } = await workingTreeDiff(repo.dir, "HEAD");
    expect(commit).toBe(base);
    expect(diff).toContain("+a = 2");
    expect(diff).toContain("+++ b/new/b.py");
    expect(diff).toContain("+++ b/staged.py");
    expect(diff).not.toContain("debug.log");
    expect([
      repo.git("status", "--porcelain"),
      repo.git("diff", "--cached", "--name-only"),
      repo.git("rev-parse", "HEAD"),
    ]).toEqual(before);
  });

  it("names a revision that does not exist", async () => {
    const repo = new TempRepo();
    repo.commit("base", { "a.py": "" });
    await expect(workingTreeDiff(repo.dir, "nope")).rejects.toThrow(/--diff-from nope: no such commit/);
  });
});
