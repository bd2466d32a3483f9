import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { readTrajectory } from "../../src/trajectory/reader.js";
import { type McpSession, startMcpSession } from "../helpers/mcp-client.js";
import {
  fixtureFiles,
  ISSUE,
  makeFixtureRepo,
  REJECT_REPORT,
  reviewerScript,
  SYMPTOM_PATCH,
} from "../helpers/review-fixture.js";
import { hostProcessesMatching, NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";
import { waitUntil } from "../helpers/wait.js";

let server: MockOpenAIServer | undefined;
let session: McpSession | undefined;
afterEach(async () => {
  await session?.close();
  await server?.close();
  session = undefined;
  server = undefined;
});

/** The MCP server over the fixture repository, its model the mock server playing `script`. */
async function start(script: ScriptEntry[]) {
  const { repo, base } = makeFixtureRepo();
  const files = fixtureFiles();
  server = await startMockServer({ script });
  const runs = join(files.root, "runs");
  // Debug logging on purpose: every log line must go to stderr, never into the protocol on stdout.
  session = await startMcpSession(["--log-level", "debug", "mcp", "--runs-dir", runs], {
    env: { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl },
    cwd: repo.dir, // relative repository paths in tool calls resolve against it
  });
  const workspaces = join(files.root, "tmp", "swe-review-workspaces");
  return { repo, base, files, runs, workspaces, session, server };
}

describe("swe-review mcp (the SDK's client over stdio)", () => {
  it("lists both tools with their input and output schemas", async () => {
    const { session } = await start([]);
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["review_and_revise_guidance", "review_patch"]);
    const review = tools.find((tool) => tool.name === "review_patch");
    expect(review?.inputSchema.required).toEqual(["repository", "issue"]);
    expect(Object.keys(review?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["patch", "diff_from", "base", "model", "mode", "max_steps"]),
    );
    expect(review?.outputSchema?.properties).toHaveProperty("decision");
    expect(session.client.getInstructions()).toMatch(/review_patch/);
  });

  it("turns a given report into revision guidance, and says what is missing when nothing is given", async () => {
    const { session, files, server } = await start([]);
    const reply = await session.client.callTool({
      name: "review_and_revise_guidance",
      arguments: { report: REJECT_REPORT },
    });
    expect(reply.isError).toBeFalsy();
    expect(reply.structuredContent).toMatchObject({ decision: "request_changes", next: "revise" });
    const text = (reply.content as { text: string }[])[0]?.text ?? "";
    expect(text).toMatch(/^swe-review requested changes/);
    expect(text).toContain("**Problem identified:** inventory/units.py FACTORS has no 'oz' entry");
    expect(text).toContain(
      "1. [high] Ounces are still unsupported; the patch hides the KeyError and returns a wrong total. (inventory/units.py:1)",
    );
    expect(text).toContain("Suggestion: In inventory/units.py add 'oz': 28.3495 to FACTORS");

    const path = join(files.root, "report.json");
    writeFileSync(path, JSON.stringify({ decision: "approve", report: null, source: "finish_message" }));
    const approved = await session.client.callTool({
      name: "review_and_revise_guidance",
      arguments: { report_path: path },
    });
    expect(approved.structuredContent).toMatchObject({ decision: "approve", next: "done", defects: [] });

    const nothing = await session.client.callTool({ name: "review_and_revise_guidance", arguments: {} });
    expect(nothing.isError).toBe(true);
    expect((nothing.content as { text: string }[])[0]?.text).toMatch(
      /Nothing to act on: give report or report_path .* or repository and issue/,
    );
    const missing = await session.client.callTool({
      name: "review_patch",
      arguments: { repository: join(files.root, "nope"), issue: ISSUE },
    });
    expect(missing.isError).toBe(true);
    expect((missing.content as { text: string }[])[0]?.text).toMatch(/repository .*nope: no such folder/);
    expect(server.chatBodies).toHaveLength(0);
    expect(session.protocolErrors).toEqual([]);
  });

  it("reviews the working tree against HEAD by default and returns the guidance (single-turn, no sandbox)", async () => {
    const { session, repo } = await start([{ content: JSON.stringify(REJECT_REPORT) }]);
    repo.write({
      "inventory/report.py":
        "from .units import to_grams\n\n\ndef total_weight(items):\n    return sum(to_grams(q, u) for q, u in items if u != 'oz')\n",
    });
    const status = repo.git("status", "--porcelain");
    const reply = await session.client.callTool({
      name: "review_and_revise_guidance",
      arguments: { repository: repo.dir, issue: ISSUE, mode: "single-turn-diff" },
    });
    expect(reply.isError).toBeFalsy();
    const structured = reply.structuredContent as { next: string; defects: unknown[]; report_path: string };
    expect(structured).toMatchObject({ decision: "request_changes", next: "revise" });
    expect(structured.defects).toHaveLength(1);
    const report = JSON.parse(readFileSync(structured.report_path, "utf8"));
    expect(report).toMatchObject({ decision: "request_changes", mode: "single-turn-diff" });
    const prompt = JSON.parse(server?.chatBodies[0] ?? "{}").messages.at(-1).content as string;
    expect(prompt).toContain("if u != 'oz'"); // the working tree's change is what was reviewed
    expect(repo.git("status", "--porcelain")).toBe(status);
  });
});

// The scripted reviewer uses the sandbox's paths (/testbed, /review_data): bubblewrap is needed (CI installs it).
describe.skipIf(NO_BWRAP)(skipTitle("swe-review mcp: agentic reviews", NO_BWRAP), () => {
  it("runs review_patch on a patch, with a progress notification per agent step, and returns the report", async () => {
    const { session, base, runs, workspaces } = await start(reviewerScript(REJECT_REPORT));
    const progress: Progress[] = [];
    const reply = await session.client.callTool(
      {
        name: "review_patch",
        arguments: { repository: ".", issue: ISSUE, patch: SYMPTOM_PATCH, base, max_steps: 20 },
      },
      undefined,
      { onprogress: (update) => progress.push(update) },
    );
    expect(reply.isError).toBeFalsy();
    const structured = reply.structuredContent as Record<string, unknown> & {
      report: { defects: { location: { path: string } }[] };
      report_path: string;
      trajectory_path: string;
    };
    expect(structured).toMatchObject({
      decision: "request_changes",
      source: "report_file",
      status: "finished",
      mode: "agentic",
      commit: base,
      steps: 7,
    });
    expect(structured.report.defects[0]?.location.path).toBe("inventory/units.py");
    expect(structured.report_path.startsWith(runs)).toBe(true);
    expect(JSON.parse(readFileSync(structured.report_path, "utf8"))).toMatchObject({
      decision: "request_changes",
    });
    const text = (reply.content as { type: string; text: string }[])[0];
    expect(text?.type).toBe("text");
    expect(text?.text).toMatch(/^## swe-review: Request changes \(confidence 0\.93\)/);
    expect(text?.text).toMatch(/1\. \*\*high\*\* · correctness · `inventory\/units\.py:1`/);

    expect(progress.map((update) => update.progress)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(progress.every((update) => update.total === 20)).toBe(true);
    expect(progress[2]?.message).toMatch(/^review step 3\/20 · [\d.]+K? tokens · [\d.]+ s$/);

    expect(readdirSync(workspaces)).toEqual([]); // the workspace is gone
    // Logs went to stderr (a separate pipe: its line may arrive a moment after the reply on stdout)…
    await waitUntil(
      () => session.stderr().includes('"msg":"review finished"'),
      "the server to log the review",
    );
    expect(session.protocolErrors).toEqual([]); // …and nothing but protocol messages to stdout
  });

  it("stops a review the client cancels: the command in the sandbox is killed and the workspace removed", async () => {
    const marker = `sleep ${900_000 + (process.pid % 10_000)}`;
    const { session, runs, workspaces, server } = await start([
      { toolCalls: [{ name: "terminal", arguments: { command: marker, timeout: 1800 } }] },
    ]);
    const controller = new AbortController();
    const call = session.client.callTool(
      {
        name: "review_patch",
        arguments: { repository: ".", issue: ISSUE, patch: SYMPTOM_PATCH, base: "HEAD~1" },
      },
      undefined,
      { signal: controller.signal, onprogress: () => {} },
    );
    const rejected = expect(call).rejects.toThrow(/the user changed their mind/);
    await waitUntil(() => hostProcessesMatching(marker).length > 0, "the reviewer's command to start");
    controller.abort("the user changed their mind");
    await rejected;
    await session.stderrContains("review cancelled; sandbox closed and workspace removed");

    expect(hostProcessesMatching(marker)).toEqual([]);
    expect(readdirSync(workspaces)).toEqual([]);
    const [folder] = readdirSync(runs);
    const events = readTrajectory(join(runs, folder ?? "", "trajectory.jsonl")).events;
    expect(events.at(-1)).toMatchObject({ type: "result", result: { decision: null, status: "aborted" } });
    expect(existsSync(join(runs, folder ?? "", "report.json"))).toBe(true);
    expect(server.chatBodies).toHaveLength(1);

    // The server is still there for the next call.
    const { tools } = await session.client.listTools();
    expect(tools).toHaveLength(2);
  });

  it("stops the reviews in flight when the client goes away, and cleans up before exiting", async () => {
    const marker = `sleep ${800_000 + (process.pid % 10_000)}`;
    const { session, workspaces } = await start([
      { toolCalls: [{ name: "terminal", arguments: { command: marker, timeout: 1800 } }] },
    ]);
    const call = session.client
      .callTool({
        name: "review_patch",
        arguments: { repository: ".", issue: ISSUE, patch: SYMPTOM_PATCH, base: "HEAD~1" },
      })
      .catch((error: unknown) => error);
    await waitUntil(() => hostProcessesMatching(marker).length > 0, "the reviewer's command to start");
    await session.close(); // ends the server's stdin, as a client that quits does
    await call;
    await waitUntil(
      () => session.stderr().includes("review cancelled; sandbox closed and workspace removed"),
      "the server to log the cancelled review",
    );
    expect(session.stderr()).toContain("the client closed the connection");
    expect(hostProcessesMatching(marker)).toEqual([]);
    expect(readdirSync(workspaces)).toEqual([]);
  });
});
