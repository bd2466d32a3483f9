import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { readTrajectory } from "../../src/trajectory/reader.js";
import { runCli, runProcess } from "../helpers/cli.js";
import { FakeGitHub, type FakePull } from "../helpers/fake-github.js";
import {
  APPROVE_REPORT,
  CORRECT_PATCH,
  fixtureFiles,
  ISSUE,
  makeFixtureRepo,
  REJECT_REPORT,
  reviewerScript,
  SYMPTOM_PATCH,
} from "../helpers/review-fixture.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

const TOKEN = "ghs_FAKEtoken0123456789abcdefghijklmnopqr";
const HEAD_1 = "1111111111111111111111111111111111111111";
const HEAD_2 = "2222222222222222222222222222222222222222";

const BINARY = `diff --git a/docs/logo.png b/docs/logo.png
index 3333333..4444444 100644
Binary files a/docs/logo.png and b/docs/logo.png differ
`;

/** The symptom fix's lines as GitHub shows them: the hunk @@ -2,7 +2,13 @@ (worked out by hand). */
const SYMPTOM_LINES = {
  "inventory/report.py": { RIGHT: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], LEFT: [2, 3, 4, 5, 6, 7, 8] },
};

/** The rejection, with defects in and out of the diff. */
const REJECTION = {
  ...REJECT_REPORT,
  defects: [
    ...REJECT_REPORT.defects, // inventory/units.py:1: a file the pull request does not change
    {
      severity: "high",
      category: "correctness",
      location: { path: "inventory/report.py", start_line: 7, end_line: 10 },
      description: "The try/except drops ounce items from the total instead of converting them.",
      suggestion: "Remove the try/except; add the factor in units.py.",
    },
    {
      severity: "medium",
      category: "maintainability",
      location: { path: "/testbed/inventory/report.py", start_line: 5, end_line: null },
      description: "The running total hides what the sum did in one line.",
      suggestion: "",
    },
    {
      severity: "low",
      category: "maintainability",
      location: { path: "inventory/report.py", start_line: 20, end_line: 22 },
      description: "format_weight rounds to one decimal.",
      suggestion: "",
    },
  ],
};

let model: MockOpenAIServer | undefined;
let github: FakeGitHub | undefined;
afterEach(async () => {
  await model?.close();
  await github?.close();
  model = undefined;
  github = undefined;
});

async function setUp(pull: Partial<FakePull> = {}) {
  const { repo, base } = makeFixtureRepo();
  const later = repo.git("rev-parse", "HEAD").trim();
  const files = fixtureFiles();
  github = await new FakeGitHub(
    "octo-org",
    "inventory",
    {
      number: 7,
      title: "Skip unknown units in total_weight",
      body: "This stops the crash.\n\nFixes #3",
      headSha: HEAD_1,
      // The base branch moved on after the pull request branched off: the diff starts at the merge base.
      baseSha: later,
      mergeBase: base,
      diff: SYMPTOM_PATCH + BINARY,
      commentable: SYMPTOM_LINES,
      ...pull,
    },
    TOKEN,
  ).start();
  github.issues.set("octo-org/inventory#3", {
    number: 3,
    title: "total_weight() crashes for ounces",
    body: ISSUE,
  });
  return { repo, base, files, github };
}

async function run(
  setup: Awaited<ReturnType<typeof setUp>>,
  script: ScriptEntry[],
  args: string[],
  env: NodeJS.ProcessEnv = { GITHUB_TOKEN: TOKEN },
) {
  await model?.close();
  model = await startMockServer({ script });
  const out = join(setup.files.root, `out-${Date.now()}`);
  const result = await runCli(
    [
      "github",
      "review",
      "--repo",
      `octo-org/inventory=${setup.repo.dir}`,
      "--pr",
      "7",
      "--api-url",
      setup.github.apiUrl,
      "--out",
      out,
      ...args,
    ],
    { env: { ...setup.files.env, SWE_REVIEW_BASE_URL: model.baseUrl, ...env }, timeoutMs: 120_000 },
  );
  return { result, out, model };
}

const singleTurn = (report: unknown): ScriptEntry[] => [{ content: JSON.stringify(report) }];
const SINGLE_TURN_REQUESTING_CHANGES = ["--mode", "single-turn-diff", "--event", "REQUEST_CHANGES"];

function ours(fake: FakeGitHub) {
  return fake.reviews.filter((review) => review.login === fake.login);
}

describe("swe-review github review (against a local GitHub REST API)", () => {
  it("posts one review: the summary as the body, defects on changed lines inline, the rest in the body", async () => {
    const setup = await setUp();
    const { result, out, model } = await run(setup, singleTurn(REJECTION), SINGLE_TURN_REQUESTING_CHANGES);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(1);
    const fake = setup.github;
    expect(fake.reviews).toHaveLength(1);
    const [review] = fake.reviews;
    expect(review).toMatchObject({ state: "CHANGES_REQUESTED", commit_id: HEAD_1 });
    const body = review?.body ?? "";
    expect(body.startsWith(`<!-- swe-review:review head=${HEAD_1} -->\n## swe-review: Request changes`)).toBe(
      true,
    );
    expect(body).toContain("**Problem:** inventory/units.py FACTORS has no 'oz' entry");
    // In the body: the defect in a file the diff does not touch, and the one on lines no hunk shows.
    expect(body).toMatch(/1\. \*\*high\*\* · correctness · `inventory\/units\.py:1`/);
    expect(body).toMatch(/2\. \*\*low\*\* · maintainability · `inventory\/report\.py:20-22`/);
    expect(body).not.toContain("drops ounce items");
    expect(body).toContain("_2 defects are commented inline, on the changed lines._");
    expect(body).toContain("_Reviewed against #3, at commit 1111111._");
    expect(body).toContain("_Binary files not reviewed: docs/logo.png._");
    expect(result.stdout).toBe(body);

    expect(
      fake.comments.map(({ path, start_line, start_side, line, side }) => ({
        path,
        start_line,
        start_side,
        line,
        side,
      })),
    ).toEqual([
      { path: "inventory/report.py", start_line: 7, start_side: "RIGHT", line: 10, side: "RIGHT" },
      { path: "inventory/report.py", start_line: null, start_side: null, line: 5, side: "RIGHT" },
    ]);
    expect(fake.comments[0]?.body).toBe(
      "**high** · correctness · _swe-review_\n\nThe try/except drops ounce items from the total instead of converting them.\n\n*Suggestion:* Remove the try/except; add the factor in units.py.",
    );
    const posted = fake.calls.find((call) => call.method === "POST");
    expect(JSON.stringify(posted?.body)).not.toContain('"position"');

    // The model reviewed the linked issue and the diff without the binary file, at the merge base.
    const prompt = JSON.parse(model.chatBodies[0] ?? "{}")
      .messages.map((m: { content: string }) => m.content)
      .join("\n");
    expect(prompt).toContain("total_weight() crashes with KeyError: 'oz'");
    expect(prompt).toContain("+        except KeyError:");
    expect(prompt).not.toContain("logo.png");
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).commit).toBe(setup.base);

    // The token went to GitHub in the Authorization header, and nowhere else.
    expect(fake.calls.every((call) => call.authorization === `token ${TOKEN}`)).toBe(true);
    const written = readdirSync(out).map((name) => readFileSync(join(out, name), "utf8"));
    for (const text of [result.stdout, result.stderr, ...written]) expect(text).not.toContain(TOKEN);
  });

  it("replaces its earlier review on a new push instead of adding another", async () => {
    const setup = await setUp();
    const first = await run(setup, singleTurn(REJECTION), SINGLE_TURN_REQUESTING_CHANGES);
    expect(first.result.code).toBe(1);
    const fake = setup.github;
    const [earlier] = fake.reviews;
    const [rangeComment, lineComment] = fake.comments;
    fake.reply(rangeComment?.id ?? 0, "Isn't skipping unknown units the intended behaviour?");

    // A new push: the root-cause fix.
    fake.pull = {
      ...fake.pull,
      headSha: HEAD_2,
      diff: CORRECT_PATCH,
      commentable: { "inventory/units.py": { RIGHT: [1, 2, 3, 4], LEFT: [1, 2, 3, 4] } },
    };
    const second = await run(setup, singleTurn(APPROVE_REPORT), SINGLE_TURN_REQUESTING_CHANGES);
    expect(second.result.code).toBe(0);
    expect(second.result.stderr).toMatch(
      /posted COMMENT review .* with 0 inline comment\(s\); replaced 1 earlier review/,
    );

    const live = ours(fake).filter((review) => !review.body.includes("swe-review:superseded"));
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ state: "COMMENTED", commit_id: HEAD_2 });
    expect(live[0]?.body).toMatch(/^<!-- swe-review:review head=2{40} -->\n## swe-review: Approve/);
    // The earlier review: a pointer to the new one, dismissed so its "changes requested" no longer blocks.
    expect(earlier?.state).toBe("DISMISSED");
    expect(earlier?.body).toBe(
      `<!-- swe-review:superseded -->\n_Superseded by [swe-review's review of 2222222](https://github.com/octo-org/inventory/pull/7#pullrequestreview-${live[0]?.id})._\n`,
    );
    // Its inline comments: deleted, except the one a person replied to, which is marked and keeps the thread.
    expect(fake.comments.find((comment) => comment.id === lineComment?.id)).toBeUndefined();
    const kept = fake.comments.find((comment) => comment.id === rangeComment?.id);
    expect(kept?.body).toMatch(/^_Superseded by \[a newer swe-review review\]\(.*\)\._\n\n<details>/);
    expect(kept?.body).toContain("drops ounce items");
    expect(fake.comments.filter((comment) => comment.login === "octocat")).toHaveLength(1);
  });

  it("lists every defect in the body when GitHub refuses the inline comments, and goes on without dismissal rights", async () => {
    const setup = await setUp({ commentable: {} }); // GitHub resolves none of the lines
    const { result } = await run(setup, singleTurn(REJECTION), SINGLE_TURN_REQUESTING_CHANGES);
    expect(result.code).toBe(1);
    const fake = setup.github;
    expect(fake.calls.filter((call) => call.method === "POST")).toHaveLength(2);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviews[0]?.state).toBe("CHANGES_REQUESTED");
    expect(fake.reviews[0]?.body).toMatch(/4\. \*\*low\*\* · maintainability/);
    expect(fake.reviews[0]?.body).not.toContain("commented inline");
    expect(fake.comments).toEqual([]);
    expect(result.stderr).toMatch(/GitHub refused the inline comments/);

    // The token cannot dismiss reviews: the new review still replaces the old one's body; its state stays.
    fake.refuseDismissal = true;
    fake.pull = { ...fake.pull, headSha: HEAD_2 };
    const again = await run(setup, singleTurn(REJECTION), ["--mode", "single-turn-diff"]);
    expect(again.result.code).toBe(1);
    expect(again.result.stderr).toMatch(/could not finish dismissing an earlier review/);
    expect(fake.reviews.map((review) => review.state)).toEqual(["CHANGES_REQUESTED", "COMMENTED"]);
    expect(fake.reviews[0]?.body).toMatch(/^<!-- swe-review:superseded -->/);
  });

  it("reviews against the description when no issue is linked; --dry-run posts nothing; a missing token is bad input", async () => {
    const setup = await setUp({ body: "Skips units it does not know." });
    const dry = await run(setup, singleTurn(REJECTION), [
      "--mode",
      "single-turn-diff",
      "--dry-run",
      "--format",
      "json",
    ]);
    expect(dry.result.code).toBe(1);
    const printed = JSON.parse(dry.result.stdout);
    expect(printed).toMatchObject({
      decision: "request_changes",
      event: "COMMENT",
      posted: null,
      merge_base: setup.base,
    });
    expect(printed.issue).toBe("the pull request's description (it links no issue with Fixes #N)");
    expect(printed.comments).toHaveLength(2);
    expect(setup.github.calls.filter((call) => call.method !== "GET")).toEqual([]);
    const prompt = JSON.parse(dry.model.chatBodies[0] ?? "{}").messages.at(-1).content as string;
    expect(prompt).toContain("Skips units it does not know.");

    const missing = await run(setup, [], ["--mode", "single-turn-diff"], { GITHUB_TOKEN: "" });
    expect(missing.result.code).toBe(3);
    expect(missing.result.stderr).toMatch(/GITHUB_TOKEN is not set/);

    const refused = await run(setup, [], ["--mode", "single-turn-diff"], {
      GITHUB_TOKEN: "ghs_wrong_token_0000",
    });
    expect(refused.result.code).toBe(3);
    expect(refused.result.stderr).toMatch(
      /GitHub answered 401 while reading pull request octo-org\/inventory#7: Bad credentials/,
    );
    expect(refused.result.stderr).not.toContain("ghs_wrong_token_0000");
  });
});

describe("the composite Action's review step", () => {
  it("reviews the pull request of a pull_request event, sets the decision output, and fails only when asked", async () => {
    const setup = await setUp();
    model = await startMockServer({ script: [...singleTurn(REJECTION), ...singleTurn(REJECTION)] });
    const root = resolve(import.meta.dirname, "../..");
    const action = parseYaml(readFileSync(join(root, "action.yml"), "utf8")) as {
      runs: { steps: { id?: string; run?: string }[] };
    };
    const script = action.runs.steps.find((step) => step.id === "review")?.run ?? "";
    const runStep = async (fail: string, event: string) => {
      const output = join(setup.files.root, `github-output-${fail}`);
      // As GitHub runs a `shell: bash` step, with the variables the step's env and the runner set.
      const result = await runProcess("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
        timeoutMs: 120_000,
        env: {
          ...setup.files.env,
          ACTION_PATH: root,
          PR_NUMBER: "7",
          REPOSITORY: "octo-org/inventory",
          GITHUB_TOKEN: TOKEN,
          SWE_REVIEW_BASE_URL: model?.baseUrl ?? "",
          SWE_REVIEW_API_KEY: "",
          REVIEW_EVENT: event,
          REVIEW_MODE: "single-turn-diff",
          REVIEW_MAX_STEPS: "",
          FAIL_ON_REQUEST_CHANGES: fail,
          GITHUB_WORKSPACE: setup.repo.dir,
          GITHUB_API_URL: setup.github.apiUrl,
          GITHUB_OUTPUT: output,
          RUNNER_TEMP: join(setup.files.root, "runner-temp"),
        },
      });
      return { ...result, output: readFileSync(output, "utf8") };
    };
    const lenient = await runStep("false", "COMMENT");
    expect(lenient.code).toBe(0);
    expect(lenient.output).toBe("decision=request_changes\n");
    const strict = await runStep("true", "REQUEST_CHANGES");
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("::error::swe-review requested changes.");
    expect(strict.output).toBe("decision=request_changes\n");
    expect(setup.github.reviews.map((review) => review.state)).toEqual(["COMMENTED", "CHANGES_REQUESTED"]);
    expect(setup.github.reviews[0]?.body).toMatch(/^<!-- swe-review:superseded -->/); // the second run replaced it
  });
});

// The scripted reviewer uses the sandbox's paths (/testbed, /review_data): bubblewrap is needed (CI installs it).
describe.skipIf(NO_BWRAP)(skipTitle("swe-review github review: agentic", NO_BWRAP), () => {
  it("reviews the pull request in a sandboxed checkout of its merge base, with its title as the PR title", async () => {
    const setup = await setUp();
    const { result, out } = await run(setup, reviewerScript(REJECT_REPORT), []);
    expect(result.code).toBe(1);
    const seen = readTrajectory(join(out, "trajectory.jsonl"))
      .events.flatMap((event) => (event.type === "step" ? event.observations.map((o) => o.content) : []))
      .join("\n");
    expect(seen).toContain("PR: Skip unknown units in total_weight");
    expect(seen).toMatch(/\n ?M inventory\/report\.py\n/); // the diff applied at the merge base
    expect(seen).toMatch(/\n0\n\[The command completed with exit code 0\.\]/); // the symptom fix drops the ounces
    expect(seen).not.toContain("later.py");
    expect(setup.github.reviews).toHaveLength(1);
  });
});
