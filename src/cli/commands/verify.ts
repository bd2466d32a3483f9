import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { harnessEnvironmentFrom } from "../../assembly/verifier.js";
import { loadInstances } from "../../data/load.js";
import {
  parseCandidateSource,
  parseInstanceIds,
  selectCandidates,
} from "../../harness/batch/candidate-set.js";
import { ResultsFile } from "../../harness/batch/results-file.js";
import { type VerifyProgress, verifyBatch } from "../../harness/batch/verify-batch.js";
import { integrityReason } from "../../harness/grading/integrity.js";
import { parseRepoOverrides } from "../../workspace/repo-source.js";
import { defaultSetupCacheDir, SetupCache } from "../../workspace/setup/setup-cache.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { collect, positiveInteger, positiveNumber } from "../option-parsers.js";
import { pathOption, REPO_OVERRIDE } from "../path-options.js";

interface VerifyOptions {
  dataset: string;
  candidates: string;
  instances?: string[];
  repo?: string[];
  jobs: string;
  runDir?: string;
  output: string;
  timeout: string;
  setupTimeout: string;
  setupCache: string | boolean;
  sandbox?: "bwrap" | "local" | "docker";
  tmpfs?: boolean;
  keep?: boolean;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command("verify")
    .description(
      "run the tests of each candidate patch the way SWE-bench does and write one JSON line per candidate " +
        "{candidate_id, instance_id, applied, resolved, resolution, f2p, p2p, seconds, test_exit_code, integrity, " +
        "restored_test_infrastructure, error?}; resumable",
    )
    .addOption(
      pathOption(
        "--dataset <file>",
        "instances: SWE-bench or Multi-SWE-bench rows (.jsonl, .json, .parquet)",
        "file-or-folder",
      ).makeOptionMandatory(),
    )
    .addOption(
      pathOption(
        "--candidates <source>",
        "a candidates or predictions file, `gold` (the instances' own patches) or `empty` (no change)",
        { kind: "file", words: ["gold", "empty"] },
      ).makeOptionMandatory(),
    )
    .addOption(
      pathOption(
        "--output <file>",
        "results JSONL; candidates already in it are skipped",
        "output-file",
      ).makeOptionMandatory(),
    )
    .option("--instances <ids>", "only these instance ids (comma-separated; repeatable)", collect)
    .addOption(
      pathOption(
        "--repo <owner/name=path>",
        "use a local clone for a repository (repeatable; not with --sandbox docker: the image has the checkout)",
        REPO_OVERRIDE,
      ).argParser(collect),
    )
    .option("-j, --jobs <n>", "candidates verified at once", "1")
    .addOption(pathOption("--run-dir <dir>", "where logs are kept (default: <output>.logs)", "output-folder"))
    .option("--timeout <seconds>", "time limit of one test run", "1800")
    .option("--setup-timeout <seconds>", "time limit of one setup command (e.g. npm install)", "1800")
    .addOption(
      pathOption(
        "--setup-cache <dir>",
        "where setup results are kept per repository and base",
        "output-folder",
      ).default(defaultSetupCacheDir()),
    )
    .option("--no-setup-cache", "run every setup afresh")
    .addOption(
      new Option(
        "--sandbox <kind>",
        "isolation (docker: each instance in its SWE-bench image, with SWE-bench's evaluation)",
      ).choices(["bwrap", "local", "docker"]),
    )
    .option("--tmpfs", "make checkouts on tmpfs (/dev/shm)")
    .option("--keep", "keep checkouts afterwards (debugging)")
    .action(async (options: VerifyOptions, command: Command) => {
      const jobs = positiveInteger(options.jobs, "-j");
      const timeout = positiveNumber(options.timeout, "--timeout", "seconds, e.g. 1800");
      const setupTimeout = positiveNumber(options.setupTimeout, "--setup-timeout", "seconds, e.g. 1800");
      const overrides = parseRepoOverrides(options.repo);
      const { config, logger } = commandContext(command.optsWithGlobals<GlobalOptions>(), {
        workspace: {
          ...(options.tmpfs ? { tmpfs: true } : {}),
          ...(options.keep ? { keep: true } : {}),
        },
        ...(options.sandbox ? { sandbox: { kind: options.sandbox } } : {}),
      });
      const all = await loadInstances(options.dataset);
      const { instances, candidates } = await selectCandidates(
        all,
        parseCandidateSource(options.candidates),
        {
          datasetPath: options.dataset,
          ...(options.instances ? { ids: parseInstanceIds(options.instances) } : {}),
        },
      );
      const output = resolve(options.output);
      const runDir = resolve(options.runDir ?? `${output.replace(/\.jsonl$/, "")}.logs`);
      const results = ResultsFile.open(output);
      // With --sandbox docker: each instance's image, no host clone (--repo and the setup cache do not apply).
      const environment = harnessEnvironmentFrom(config, {
        overrides,
        logger,
        setupCache: options.setupCache === false ? false : new SetupCache(String(options.setupCache), logger),
      });
      const stop = new AbortController();
      const onSignal = () => {
        if (stop.signal.aborted) process.exit(130);
        process.stderr.write("stopping: no new candidates start; Ctrl-C again to quit at once\n");
        stop.abort();
      };
      process.on("SIGINT", onSignal);
      process.stderr.write(
        `verify: ${candidates.length} candidates of ${instances.length} instances, ` +
          `${candidates.filter((c) => results.finished.has(c.candidate_id)).length} already in ${output}\n`,
      );
      try {
        const summary = await verifyBatch({
          instances,
          candidates,
          environment,
          results,
          runDir,
          jobs,
          timeoutMs: timeout * 1000,
          setupTimeoutMs: setupTimeout * 1000,
          ...(config.test ? { testConfig: config.test } : {}),
          logger,
          onProgress: (progress) => process.stderr.write(progressLine(progress)),
          signal: stop.signal,
        });
        process.stderr.write(
          `done: ${summary.resolved} resolved, ${summary.unresolved} unresolved, ${summary.errors} errors, ` +
            `${summary.skipped} skipped (already done); logs in ${runDir}\n`,
        );
        process.stdout.write(`${JSON.stringify({ ...summary, output, run_dir: runDir })}\n`);
        process.exitCode = stop.signal.aborted ? 130 : summary.errors > 0 ? 1 : 0;
      } finally {
        process.off("SIGINT", onSignal);
        results.close();
      }
    });
}

function progressLine({ done, total, result }: VerifyProgress): string {
  const verdict =
    result.error !== undefined
      ? `ERROR ${result.error.split("\n")[0]?.slice(0, 200)}`
      : `${result.resolved ? "resolved" : "unresolved"} (${result.resolution}` +
        `${result.outcome && result.outcome !== "ok" ? `, ${result.outcome}` : ""}; ` +
        `f2p ${result.f2p.passed.length}/${result.f2p.passed.length + result.f2p.failed.length}, ` +
        `p2p ${result.p2p.passed.length}/${result.p2p.passed.length + result.p2p.failed.length})`;
  const notes = [
    ...(result.integrity ?? []).map(
      (flag) => `integrity ${flag}: ${integrityReason(flag, result.test_exit_code)}`,
    ),
    ...(result.restored_test_infrastructure?.length
      ? [`restored test infrastructure: ${result.restored_test_infrastructure.join(", ")}`]
      : []),
  ].map((note) => `\n    ${note.slice(0, 300)}`);
  return `[${done}/${total}] ${result.candidate_id} ${verdict} ${result.seconds.toFixed(1)} s${notes.join("")}\n`;
}
