import { type SkipReason, unless } from "./skip.js";

/** Why the queue tests skip here: they need a Redis they may flush, named by SWE_REVIEW_TEST_REDIS (undefined when set). */
export const NO_TEST_REDIS: SkipReason = unless(
  process.env.SWE_REVIEW_TEST_REDIS,
  "SWE_REVIEW_TEST_REDIS is not set (a redis:// URL of a Redis these tests may flush; .ci/run starts one)",
);
