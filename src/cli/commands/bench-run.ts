import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { loadBenchItems } from "../../bench/items.js";
import { runBenchReview } from "../../bench/run-bench-review.js";
import { redactSecretKeys, secretValuesFromEnv } from "../../common/secrets.js";
import type { ReviewMode } from "../../review/run-review.js";
import { repoCacheFrom, sandboxOptionsFrom, workspaceRootFrom } from "../../workspace/from-config.js";
import { parseRepoOverrides } from "../../workspace/repo-source.js";
import { budgetFrom } from "../budget-from.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { interruptSignal } from "../interrupt.js";
import { positiveInteger } from "../issue-input.js";
import { roleModel } from "../role-models.js";

interface BenchReviewOptions {
  dataset: string;
  candidates?: string;
  split?: string;
  instances?: string[];
  reviewer?: string;
  reviewerBaseUrl?: string;
  reviewerApiKey?: string;
  mode: ReviewMode;
  jobs: string;
  runDir: string;
  repo?: string[];
  attempts: string;
  maxSteps?: string;
  sandbox?: "bwrap" | "local";
}

/** `bench review`: review every candidate of a dataset into a resumable run directory. */
export function registerBenchReviewCommand(bench: Command): void {
  bench
    .command("review")
    .description(
      "review every candidate of a dataset, each in a fresh workspace, into a resumable run directory",
    )
    .requiredOption(
      "--dataset <file>",
      "a SWE-Review-Bench split (folder or hub rows), or SWE-bench instances with --candidates",
    )
    .option(
      "--candidates <file>",
      "candidates (JSONL, or SWE-bench predictions) for the instances of --dataset",
    )
    .option("--split <name>", "the split's name (default: the folder's or file's name)")
    .option("--instances <ids...>", "only these instance ids")
    .option("--reviewer <model>", "the reviewer model (default: the configured model)")
    .option("--reviewer-base-url <url>", "the reviewer's base URL (default: --base-url)")
    .option("--reviewer-api-key <key>", "the reviewer's API key")
    .addOption(
      new Option("--mode <mode>", "agentic review, or a single-turn baseline")
        .choices(["agentic", "single-turn-diff", "single-turn-context"])
        .default("agentic"),
    )
    .option("-j, --jobs <n>", "reviews at a time", "1")
    .requiredOption("--run-dir <dir>", "where results go; re-running the same command resumes")
    .option("--repo <owner/name=path...>", "use local clones instead of the network")
    .option("--attempts <n>", "tries per item for infrastructure failures", "3")
    .option("--max-steps <n>", "step limit of each review")
    .addOption(new Option("--sandbox <kind>", "isolation").choices(["bwrap", "local"]))
    .action(async (options: BenchReviewOptions, command: Command) => {
      const jobs = positiveInteger(options.jobs, "--jobs") ?? 1;
      const attempts = positiveInteger(options.attempts, "--attempts") ?? 3;
      const maxSteps = positiveInteger(options.maxSteps, "--max-steps");
      const { config, logger } = commandContext(command.optsWithGlobals<GlobalOptions>(), {
        ...(maxSteps ? { agent: { maxSteps } } : {}),
        ...(options.sandbox ? { sandbox: { kind: options.sandbox } } : {}),
      });
      const items = await loadBenchItems({
        dataset: options.dataset,
        ...(options.candidates ? { candidates: options.candidates } : {}),
        ...(options.split ? { split: options.split } : {}),
        ...(options.instances ? { instances: options.instances } : {}),
      });
      const reviewer = roleModel(
        config,
        {
          ...(options.reviewer ? { name: options.reviewer } : {}),
          ...(options.reviewerBaseUrl ? { baseUrl: options.reviewerBaseUrl } : {}),
          ...(options.reviewerApiKey ? { apiKey: options.reviewerApiKey } : {}),
        },
        logger,
      );
      const interrupt = interruptSignal();
      try {
        const { stopped, results } = await runBenchReview({
          dataset: resolve(options.dataset),
          items,
          runDir: resolve(options.runDir),
          mode: options.mode,
          concurrency: jobs,
          attempts,
          overrides: parseRepoOverrides(options.repo),
          review: {
            model: reviewer.model,
            budget: budgetFrom(config),
            cache: repoCacheFrom(config, logger),
            workspaceRoot: workspaceRootFrom(config),
            sandbox: sandboxOptionsFrom(config, logger),
            contextGuard: reviewer.contextGuard,
            securityRisk: config.tools.securityRisk,
            softTimeoutMs: config.tools.softTimeoutSeconds * 1000,
            secrets: [reviewer.resolved.apiKey ?? "", ...secretValuesFromEnv()],
            config: redactSecretKeys(config),
            logger,
          },
          settings: {
            reviewer: { name: reviewer.resolved.name, provider: reviewer.resolved.provider },
            jobs,
          },
          signal: interrupt.signal,
          logger,
        });
        const done = results.filter((result) => result.status === "done");
        const decisions = { approve: 0, request_changes: 0, none: 0 };
        for (const result of done) decisions[result.review?.decision ?? "none"]++;
        process.stdout.write(
          `${JSON.stringify({ run_dir: resolve(options.runDir), items: items.items.length, done: done.length, failed: results.length - done.length, decisions, stopped })}\n`,
        );
        process.exitCode = stopped ? 130 : results.length - done.length > 0 ? 1 : 0;
      } finally {
        interrupt.dispose();
      }
    });
}
