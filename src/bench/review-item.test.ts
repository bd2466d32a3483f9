import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeBenchSplit } from "../../test/helpers/bench-split.js";
import { REJECT_REPORT } from "../../test/helpers/review-fixture.js";
import { silentLogger } from "../common/logger.js";
import { type MockOpenAIServer, startMockServer } from "../model/mock-server/server.js";
import { OpenAICompatibleModel } from "../model/openai/provider.js";
import { DEFAULT_RETRY_POLICY } from "../model/retry.js";
import type { ScriptEntry } from "../model/scripted/script.js";
import { RepoCache } from "../workspace/repo-cache.js";
import { parseRepoOverrides } from "../workspace/repo-source.js";
import { loadBenchItems } from "./items.js";
import { reviewItem } from "./review-item.js";

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());

/** One single-turn review of a fixture candidate against a mock server playing `script`, with item retries. */
async function reviewOnce(script: ScriptEntry[]) {
  const root = mkdtempSync(join(tmpdir(), "swe-review-item-"));
  const { split, repoDir } = writeBenchSplit(root, 1);
  const { items } = await loadBenchItems({ dataset: split });
  server = await startMockServer({ script });
  const model = new OpenAICompatibleModel({
    name: "bench",
    baseUrl: server.baseUrl,
    settings: { reasoningRoundTrip: true },
    timeoutMs: 10_000,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }, // the provider gives up at once: the item retries
  });
  const item = items[0];
  if (!item) throw new Error("fixture split is empty");
  const result = await reviewItem(item, join(root, "item"), {
    review: {
      model,
      budget: { maxSteps: 1 },
      cache: new RepoCache(join(root, "cache")),
      workspaceRoot: join(root, "workspaces"),
      sandbox: { kind: "local" },
    },
    mode: "single-turn-diff",
    overrides: parseRepoOverrides([`demo/inventory=${repoDir}`]),
    attempts: 3,
    retryDelayMs: 10,
    logger: silentLogger,
  });
  return { result, requests: server.chatBodies.length };
}

const REPORT = { content: `\`\`\`json\n${JSON.stringify(REJECT_REPORT)}\n\`\`\`` };

// A review whose model call fails still asks once more for the final report (a forced turn); only when that fails
// too has the attempt failed.
describe("reviewItem", () => {
  it("retries a failing model server, and records the review made on the next attempt", async () => {
    const down = { fault: "http" as const, status: 503 };
    const { result, requests } = await reviewOnce([down, down, REPORT]);
    expect(result).toMatchObject({ status: "done", attempts: 2, review: { decision: "request_changes" } });
    expect(requests).toBe(3);
  });

  it("records a model that answers without a verdict as a result, without retrying it", async () => {
    const vague = { content: "I am not sure what to say." };
    const { result, requests } = await reviewOnce([vague, vague, REPORT]);
    expect(result).toMatchObject({ status: "done", attempts: 1, review: { decision: null } });
    expect(requests).toBe(2);
  });

  it("fails the item after its attempts when the server never answers well, with the reason", async () => {
    const down = { fault: "http" as const, status: 502 };
    const { result, requests } = await reviewOnce([down, down, down, down, down, down, REPORT]);
    expect(result).toMatchObject({ status: "failed", attempts: 3, error: { code: "model_server_error" } });
    expect(requests).toBe(6);
  });
});
