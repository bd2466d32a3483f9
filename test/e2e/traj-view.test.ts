import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, NO_CHROMIUM } from "../helpers/chromium.js";
import { runCli } from "../helpers/cli.js";
import { recordReview, reviewTurns } from "../helpers/review-run.js";
import { skipTitle } from "../helpers/skip.js";

/** Where the test leaves its screenshot, to be looked at. */
const SCREENSHOT = join(tmpdir(), "swe-review-viewer.png");

let runDir: string;

beforeAll(async () => {
  runDir = mkdtempSync(join(tmpdir(), "swe-review-view-"));
  await recordReview(runDir, {
    instanceId: "sympy__sympy-13877",
    turns: [
      { reasoning: "Reproduce first.", toolCalls: [{ name: "terminal", arguments: { command: "seq 300" } }] },
      ...reviewTurns("Request changes: the root cause is elsewhere."),
    ],
    decision: "request_changes",
    resolved: false,
    report: {
      decision: { recommendation: "request_changes", confidence: 0.97 },
      summary: {
        problem: "det() of a symbolic matrix raises on NaN comparison.",
        solution: "Guards the comparison in factor_terms.",
        overall_assessment: "Masks the symptom; the discarded cancel() result is the cause.",
      },
      defects: [
        {
          severity: "high",
          category: "correctness",
          location: { path: "sympy/core/exprtools.py", start_line: 1179, end_line: 1189 },
          description: "f(6) returns nan instead of a value <script>alert(1)</script>.",
          suggestion: "Assign ret = cancel(ret) in _eval_det_bareiss.",
        },
      ],
    },
  });
  await recordReview(runDir, {
    instanceId: "django__django-11099",
    turns: reviewTurns("Approve."),
    decision: "approve",
    resolved: true,
  });
  await recordReview(runDir, {
    instanceId: "flask__flask-1",
    turns: reviewTurns("Approve."),
    decision: "approve",
    resolved: false,
  });
});

describe("swe-review traj view", () => {
  it("writes one self-contained page for a run: an index, every step, the report, nothing fetched", async () => {
    const result = await runCli(["traj", "view", runDir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const { file, trajectories } = JSON.parse(result.stdout) as { file: string; trajectories: number };
    expect(trajectories).toBe(3);
    const html = readFileSync(file, "utf8");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("show all 300 lines");
    expect(html).toContain("sympy/core/exprtools.py:1179-1189");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it.skipIf(NO_CHROMIUM)(
    skipTitle("renders in headless Chromium without console errors, and its filters work", NO_CHROMIUM),
    async () => {
      const out = join(runDir, "view.html");
      expect((await runCli(["traj", "view", runDir, "--out", out])).code).toBe(0);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
        const problems: string[] = [];
        page.on("console", (message) => {
          if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
        });
        page.on("pageerror", (error) => problems.push(error.message));
        page.on("request", (request) => {
          if (!request.url().startsWith("file:")) problems.push(`request to ${request.url()}`);
        });
        await page.goto(`file://${out}`);
        expect(await page.locator("table.index tbody tr").count()).toBe(3);
        await page.selectOption('select[data-filter="correct"]', "incorrect");
        expect(await page.locator("#shown-count").textContent()).toBe("1");
        expect(await page.locator("table.index tbody tr:not(.hidden)").textContent()).toContain(
          "flask__flask-1",
        );
        await page.selectOption('select[data-filter="correct"]', "");
        await page.locator("section#t3 details.step").first().click();
        expect(await page.locator("section#t3 details.step").first().getAttribute("open")).not.toBeNull();
        await page.locator("header.page").scrollIntoViewIfNeeded();
        await page.screenshot({ path: SCREENSHOT });
        await page
          .locator("section#t3 .report")
          .screenshot({ path: SCREENSHOT.replace(".png", "-report.png") });
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
