import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeRunScore } from "../../src/bench/write-run-score.js";
import { writeBenchFixture } from "../helpers/bench-fixture.js";
import { launchChromium, NO_CHROMIUM } from "../helpers/chromium.js";
import { sweBenchRow } from "../helpers/data-fixtures.js";
import { loopRecord, sample } from "../helpers/loop-records.js";
import { manifest, result, writeRunDir } from "../helpers/run-dir.js";
import { skipTitle } from "../helpers/skip.js";

/** Opens a report, recording console errors, page errors and every request that is not for a local file. */
async function openReport(browser: Browser, file: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    if (!request.url().startsWith("file://")) problems.push(`request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems };
}

const visibleRows = (page: Page) => page.locator("#items tbody tr:not([hidden])").count();

describe.skipIf(NO_CHROMIUM)(skipTitle("report.html in headless Chromium", NO_CHROMIUM), () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("renders a review run's report with no console errors and no network, and its filters work", async () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-report-"));
    const fixture = writeBenchFixture(root);
    const { reportPath } = await writeRunScore({
      runDir: fixture.runDir,
      dataset: { paths: [fixture.split], instances: fixture.instances },
    });
    const { page, problems } = await openReport(browser, reportPath);
    expect(await page.locator("#headline table.figures").first().innerText()).toMatch(
      /glm5_500\s+8\s+62\.5\s+60\.0\s+56\.2/,
    );
    expect(await page.locator("#headline").innerText()).toContain("98.9"); // the paper's CR for GLM-5 on glm5_500
    expect(await page.locator("#confusion td.bad").first().innerText()).toContain("1");
    expect(await page.locator("svg.chart").count()).toBeGreaterThanOrEqual(2); // tokens and calibration
    expect(await visibleRows(page)).toBe(8);
    await page.fill("#item-filter", "c3");
    expect(await visibleRows(page)).toBe(1);
    await page.fill("#item-filter", "");
    await page.selectOption("#outcome-filter", "fp");
    expect(await visibleRows(page)).toBe(1);
    expect(await page.locator("#item-count").innerText()).toBe("1 of 8 shown");
    const trajectory = page.locator('#items a[href$="/trajectory.jsonl"]').first();
    expect(await trajectory.getAttribute("href")).toMatch(
      /^instances\/repo__c\d%40glm5_500\/trajectory\.jsonl$/,
    );
    await page.selectOption("#outcome-filter", "");
    const screenshot = join(root, "report.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
    expect(problems).toEqual([]);
  });

  it("draws the TTS curves of a loop run", async () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-report-tts-"));
    const dataset = join(root, "instances.jsonl");
    writeFileSync(
      dataset,
      ["a", "b"].map((name) => JSON.stringify({ ...sweBenchRow, instance_id: `repo__${name}` })).join("\n"),
    );
    const reject = { decision: "request_changes" as const, tokens: 20_000 };
    const runDir = writeRunDir(join(root, "run"), manifest({ kind: "tts" }), [
      {
        result: result("repo__a", null, {
          loop: loopRecord(
            [sample(1, false, reject), sample(2, true, { decision: "approve", tokens: 20_000 })],
            3,
            true,
          ),
        }),
      },
      {
        result: result("repo__b", null, {
          loop: loopRecord([sample(1, false, reject), sample(2, false, reject), sample(3, true)], 3, true),
        }),
      },
    ]);
    const { reportPath, summary } = await writeRunScore({ runDir, dataset: { paths: [dataset] } });
    expect(summary.tts?.points.map((point) => point.reviewer_gated_RR)).toEqual([0, 50, 100]);
    const { page, problems } = await openReport(browser, reportPath);
    expect(await page.locator("#tts svg.chart").count()).toBe(2);
    expect(await page.locator("#headline").count()).toBe(0);
    expect(await page.locator("#tts table").innerText()).toMatch(/3\s+100\.0\s+100\.0\s+2\.50/);
    await page.screenshot({ path: join(root, "report-tts.png"), fullPage: true });
    expect(problems).toEqual([]);
  });
});
