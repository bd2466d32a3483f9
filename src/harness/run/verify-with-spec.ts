import { type Logger, silentLogger } from "../../common/logger.js";
import type { TestConfig } from "../../config/schema.js";
import type { Candidate } from "../../data/candidate.js";
import type { Instance } from "../../data/instance.js";
import { findTestSpec, userSpec } from "../specs/resolve.js";
import type { TestSpec } from "../specs/test-spec.js";
import { sweBenchTestSpec } from "../swe-bench/test-spec.js";
import type { Environment } from "./environment.js";
import { type VerifiedCandidate, verifyCandidate } from "./verify-candidate.js";
import { unjudged } from "./verify-result.js";

/**
 * How to verify a candidate whose test spec is looked up (the configuration's, a built-in one, or SWE-bench's).
 */
export interface VerifyWithSpecOptions {
  /** Where the checkout is made and the tests run (the caller owns it). */
  environment: Environment;
  /** Time limit of the test command, in milliseconds. */
  timeoutMs: number;
  /** Time limit of each setup command, in milliseconds. */
  setupTimeoutMs: number;
  /** The `test:` section of the configuration (a user's own repository, or a replaced built-in spec). */
  testConfig?: TestConfig;
  logger?: Logger;
  /** Stops the run: the result is an `aborted` error. */
  signal?: AbortSignal;
}

/**
 * Verifies one candidate with its repository's test spec; an instance without one is not judged (an error saying
 * how to add a spec), never counted as unresolved.
 */
export async function verifyWithSpec(
  instance: Instance,
  candidate: Candidate,
  options: VerifyWithSpecOptions,
): Promise<VerifiedCandidate> {
  const spec = testSpecFor(instance, options.environment, options.testConfig);
  if (!spec) {
    const message =
      `no test spec for ${instance.repo}${instance.version ? ` ${instance.version}` : ""}: add ` +
      "`test: {repo, command, parser, setup}` to .swe-review.yaml, or leave its instances out with --instances";
    return {
      result: unjudged(
        { candidate_id: candidate.candidate_id, instance_id: instance.instance_id },
        { code: "no_test_spec", message },
      ),
      log: "",
      tests: {},
    };
  }
  (options.logger ?? silentLogger).debug({ candidate: candidate.candidate_id }, "verifying");
  return verifyCandidate({
    instance,
    candidate,
    spec,
    environment: options.environment,
    timeoutMs: options.timeoutMs,
    setupTimeoutMs: options.setupTimeoutMs,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * The spec an instance is verified with in this environment. In SWE-bench's images (`docker`), SWE-bench's own
 * evaluation for the instance (its repository and version), unless the user's `test:` names the repository; an
 * instance SWE-bench has no spec for falls back to the usual choice. Elsewhere, the usual choice (`findTestSpec`:
 * the user's, else a built-in spec made for host checkouts).
 */
export function testSpecFor(
  instance: Instance,
  environment: Pick<Environment, "name">,
  testConfig?: TestConfig,
): TestSpec | undefined {
  if (environment.name === "docker") {
    if (testConfig && testConfig.repo === instance.repo) return userSpec(testConfig, instance.repo);
    const swebench = sweBenchTestSpec(instance);
    if (swebench) return swebench;
  }
  return findTestSpec(instance, testConfig);
}
