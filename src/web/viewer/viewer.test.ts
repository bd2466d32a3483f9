import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recordReview, reviewTurns } from "../../../test/helpers/review-run.js";
import { escapeHtml, preBlock } from "./html.js";
import { servePage, writeViewerPage } from "./write-view.js";

describe("the viewer page", () => {
  it("shows one trajectory file without an index, and never a secret value of the environment", async () => {
    const run = mkdtempSync(join(tmpdir(), "swe-review-viewer-"));
    const dir = await recordReview(run, {
      instanceId: "p__p-1",
      turns: reviewTurns("Approve."),
      decision: "approve",
    });
    const { file, trajectories } = writeViewerPage(join(dir, "trajectory.jsonl"), undefined, {
      HF_TOKEN: "naïve » parsing",
    });
    expect(trajectories).toBe(1);
    expect(file).toBe(join(dir, "trajectory.html"));
    const html = readFileSync(file, "utf8");
    expect(html).not.toContain('table class="index"');
    expect(html).toContain("Trajectory p__p-1");
    expect(html).not.toContain("naïve » parsing");
    expect(html).toContain("[REDACTED]");
  });

  it("counts the steps, one in the singular", async () => {
    const run = mkdtempSync(join(tmpdir(), "swe-review-viewer-"));
    const html = async (instanceId: string, turns: Parameters<typeof recordReview>[1]["turns"]) => {
      const dir = await recordReview(run, { instanceId, turns, decision: "approve" });
      return readFileSync(writeViewerPage(join(dir, "trajectory.jsonl")).file, "utf8");
    };
    const finish = { toolCalls: [{ name: "finish", arguments: { message: "Approve." } }] };
    expect(await html("one__one-1", [finish])).toMatch(/>1 step · /);
    const two = await html("two__two-1", [
      { toolCalls: [{ name: "terminal", arguments: { command: "git diff" } }] },
      finish,
    ]);
    expect(two).toMatch(/>2 steps · /);
  });

  it("escapes text and folds long blocks", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(preBlock("short")).toBe("<pre>short</pre>");
    expect(preBlock("x\n".repeat(100))).toContain("<summary>show all 101 lines");
  });

  it("serves the page on the loopback address only at /", async () => {
    const server = await servePage(() => "<p>hi</p>", 0);
    try {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      expect(typeof address === "object" && address?.address).toBe("127.0.0.1");
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("<p>hi</p>");
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
