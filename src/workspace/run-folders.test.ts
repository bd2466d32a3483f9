import { execFileSync } from "node:child_process";
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

async function found(repo: TempRepo): Promise<Record<string, string[]>> {
  const folders = await findRunFolders(repo.dir, untracked(repo));
  return Object.fromEntries(folders.map((folder) => [folder.path, folder.files]));
}

describe("findRunFolders", () => {
  it("finds a folder named swe-review-runs, at the top or deeper, with all its untracked files", async () => {
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

  it("finds a folder by the marker every new run folder gets, whatever its name", async () => {
    const repo = repoWith({ "my-review/report.json": "{}", "my-review/notes.txt": "mine\n" });
    markRunFolder(`${repo.dir}/my-review`, "review");
    expect(await found(repo)).toEqual({
      "my-review/": [`my-review/${RUN_FOLDER_MARKER}`, "my-review/notes.txt", "my-review/report.json"],
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
});
