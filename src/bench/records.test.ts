import { describe, expect, it } from "vitest";
import { RevisionResultReadSchema, RunManifestReadSchema } from "./records.js";

const usage = { promptTokens: 10, completionTokens: 2, cachedTokens: 0, costUsd: 0 };
const revision = {
  resolved: true,
  applied: true,
  patch_bytes: 120,
  generator_status: "finished",
  usage,
  seconds: 3,
};

describe("bench run records read back", () => {
  it("a revision.json written before versions reads as version 1, its camelCase usage in snake_case", () => {
    expect(RevisionResultReadSchema.parse(revision)).toEqual({
      version: 1,
      ...revision,
      usage: { prompt_tokens: 10, completion_tokens: 2, cached_tokens: 0, cost_usd: 0 },
    });
  });

  it("a revision.json of this version reads back as written", () => {
    const current = {
      ...revision,
      version: 1,
      usage: {
        prompt_tokens: 10,
        completion_tokens: 2,
        cached_tokens: 4,
        cache_write_tokens: 1,
        cost_usd: 0.5,
      },
    };
    expect(RevisionResultReadSchema.parse(current)).toEqual(current);
  });

  it("a revision.json of a version this release does not know is refused, not read as another", () => {
    expect(RevisionResultReadSchema.safeParse({ ...revision, version: 2 }).success).toBe(false);
  });

  it("a run.json written before versions keeps its swe-review version, now as versions.swe_review", () => {
    const manifest = RunManifestReadSchema.parse({
      run_id: "run-1",
      kind: "review",
      created_at: "2026-01-01T00:00:00.000Z",
      versions: { sweReview: "0.1.0", node: "v20.0.0" },
      dataset: { path: "split", fingerprint: "sha256:0", items: 2 },
      settings: {},
    });
    expect(manifest).toMatchObject({ version: 1, versions: { swe_review: "0.1.0", node: "v20.0.0" } });
  });
});
