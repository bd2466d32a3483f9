import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SandboxEnvironment } from "../../src/harness/run/sandbox-environment.js";
import { verifyCandidate } from "../../src/harness/run/verify-candidate.js";
import { userSpec } from "../../src/harness/specs/resolve.js";
import { RepoCache } from "../../src/workspace/repo-cache.js";
import { SetupCache } from "../../src/workspace/setup/setup-cache.js";
import { JS_SETUP, JS_SPEC, jsFixture } from "../helpers/harness-fixtures.js";
import { HAS_BWRAP } from "../helpers/sandbox.js";

describe("verify on a JavaScript fixture (node's test runner, TAP)", () => {
  const fixture = jsFixture();
  const root = mkdtempSync(join(tmpdir(), "swe-review-verify-js-"));
  const environment = new SandboxEnvironment({
    cache: new RepoCache(join(root, "cache")),
    root: join(root, "workspaces"),
    overrides: new Map([[fixture.instance.repo, fixture.repo.dir]]),
    sandbox: { kind: HAS_BWRAP ? "bwrap" : "local" },
    setupCache: new SetupCache(join(root, "setup")),
  });
  const verify = (id: string, patch: string) =>
    verifyCandidate({
      instance: fixture.instance,
      candidate: { candidate_id: id, instance_id: fixture.instance.instance_id, model_patch: patch },
      spec: userSpec(JS_SPEC, fixture.instance.repo),
      environment,
      timeoutMs: 60_000,
      setupTimeoutMs: 60_000,
    });

  it("runs the setup once per base, restores its ignored output for later candidates, and grades TAP names", async () => {
    const gold = await verify("gold", fixture.gold);
    expect(gold.result).toMatchObject({ applied: true, resolved: true, resolution: "FULL" });
    expect(gold.log).toContain(`+ ${JS_SETUP[0]}`);
    expect(gold.log).not.toContain("setup restored");
    expect(readdirSync(join(root, "setup")).filter((name) => !name.endsWith(".lock"))).toHaveLength(1);

    // The second checkout gets node_modules/ from the cache: its tests could not load `fixture-sep` otherwise.
    const empty = await verify("empty", "");
    expect(empty.log).toContain("setup restored");
    expect(empty.result).toMatchObject({ applied: true, resolved: false, resolution: "NO" });
    expect(empty.result.p2p.passed).toEqual(["slug > lowercases"]);
    expect(empty.result.f2p.failed).toEqual(["slug > joins every word"]);
    expect(empty.tests["slug > joins every word"]).toBe("FAILED");

    // Nothing is left behind: every checkout was disposed of.
    expect(existsSync(join(root, "workspaces")) ? readdirSync(join(root, "workspaces")) : []).toEqual([]);
  });
});
