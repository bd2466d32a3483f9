import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findInstance, loadInstances } from "../../src/data/load.js";
import { SandboxEnvironment } from "../../src/harness/run/sandbox-environment.js";
import { verifyCandidate } from "../../src/harness/run/verify-candidate.js";
import { findTestSpec } from "../../src/harness/specs/resolve.js";
import { RepoCache } from "../../src/workspace/repo-cache.js";
import { parseRepoOverrides } from "../../src/workspace/repo-source.js";
import { NO_DEBIAN_PYTEST } from "../helpers/harness-fixtures.js";
import { missingSharedData, sharedDataDir } from "../helpers/shared-data.js";
import { skipReasons, skipTitle, unless } from "../helpers/skip.js";

/**
 * A real sympy instance, gold and empty, when this machine has the shared data and a sympy clone named by
 * SWE_REVIEW_REPOS (`sympy/sympy=/path/to/clone`, comma-separated with others). CI has no clone: this skips. The
 * full real checks (every sympy-dev candidate, dayjs) are in the README and take tens of minutes.
 */
const data = sharedDataDir();
const lite = data && join(data, "swe-bench-lite", "instances.jsonl");
const overrides = parseRepoOverrides((process.env.SWE_REVIEW_REPOS ?? "").split(",").filter(Boolean));
const sympy = overrides.get("sympy/sympy");

const missing = skipReasons(
  missingSharedData("swe-bench-lite/instances.jsonl"),
  unless(
    sympy && existsSync(sympy),
    "SWE_REVIEW_REPOS names no sympy/sympy checkout here (sympy/sympy=<folder>)",
  ),
  NO_DEBIAN_PYTEST,
);
describe.skipIf(missing)(
  skipTitle("verify a real sympy instance (SWE_REVIEW_REPOS, ../shared/data)", missing),
  () => {
    it(
      "resolves sympy__sympy-20590 with its gold patch and not without a patch",
      { timeout: 300_000 },
      async () => {
        const instance = findInstance(
          await loadInstances(lite as string),
          "sympy__sympy-20590",
          "SWE-bench Lite",
        );
        const spec = findTestSpec(instance);
        if (!spec) throw new Error("no sympy spec");
        const root = mkdtempSync(join(tmpdir(), "swe-review-real-"));
        const environment = new SandboxEnvironment({
          cache: new RepoCache(join(root, "cache")),
          root: join(root, "workspaces"),
          overrides,
        });
        const verify = (patch: string) =>
          verifyCandidate({
            instance,
            candidate: { candidate_id: "c", instance_id: instance.instance_id, model_patch: patch },
            spec,
            environment,
            timeoutMs: 600_000,
            setupTimeoutMs: 600_000,
          });
        expect((await verify(instance.patch ?? "")).result).toMatchObject({
          resolved: true,
          resolution: "FULL",
        });
        expect((await verify("")).result).toMatchObject({ resolved: false, applied: true });
      },
    );
  },
);
