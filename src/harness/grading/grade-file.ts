import { existsSync, readFileSync } from "node:fs";
import { InputError } from "../../common/errors.js";
import type { TestConfig } from "../../config/schema.js";
import { findInstance, loadInstances } from "../../data/load.js";
import { logParser, type ParserName } from "../parsers/registry.js";
import { parserFor } from "../specs/resolve.js";
import { gradeLog } from "./grade.js";
import type { GradeResult } from "./grade-result.js";

export interface GradeFileOptions {
  /** Dataset file (or SWE-Review-Bench split folder) holding the instance. */
  dataset: string;
  instanceId: string;
  /** The test log: a harness log with SWE-bench's markers, or a bare test run's output. */
  log: string;
  /** Overrides the parser the instance's repository uses. */
  parser?: string;
  /** The `test:` section of the configuration. */
  testConfig?: TestConfig;
}

/** `swe-review grade`: reads a dataset and a log from disk and grades the log. */
export async function gradeLogFile(options: GradeFileOptions): Promise<GradeResult & { parser: ParserName }> {
  const instances = await loadInstances(options.dataset);
  const instance = findInstance(instances, options.instanceId, options.dataset);
  if (!instance.FAIL_TO_PASS || !instance.PASS_TO_PASS) {
    throw new InputError(
      "instance_without_tests",
      `${instance.instance_id} in ${options.dataset} has no FAIL_TO_PASS/PASS_TO_PASS lists (SWE-Review-Bench rows ` +
        "do not carry them). Grade it with a SWE-bench file that has them, e.g. SWE-bench Verified.",
    );
  }
  if (!existsSync(options.log)) {
    throw new InputError("log_missing", `Log file ${options.log} (from --log) does not exist.`);
  }
  const parser = options.parser ?? parserFor(instance, options.testConfig);
  logParser(parser, "from --parser");
  const result = gradeLog(
    {
      instance_id: instance.instance_id,
      FAIL_TO_PASS: instance.FAIL_TO_PASS,
      PASS_TO_PASS: instance.PASS_TO_PASS,
    },
    { parser: parser as ParserName },
    readFileSync(options.log, "utf8"),
  );
  return { ...result, parser: parser as ParserName };
}
