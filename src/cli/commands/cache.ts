import type { Command } from "commander";
import { allWorkspaceRoots, repoCacheFrom } from "../../assembly/workspace-options.js";
import { checkEngine, findEngine } from "../../containers/engine.js";
import { pruneEngine } from "../../containers/prune.js";
import { listBaseHistories } from "../../workspace/base-history.js";
import { pruneCache } from "../../workspace/prune/prune-cache.js";
import { defaultSetupCacheDir, SetupCache } from "../../workspace/setup/setup-cache.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { nonNegativeNumber } from "../option-parsers.js";
import { pathOption } from "../path-options.js";

export function registerCacheCommand(program: Command): void {
  const cache = program
    .command("cache")
    .description(
      "manage cached repository mirrors, base histories, kept test setups and leftover workspaces",
    );

  cache
    .command("list")
    .description("list cached mirrors and base histories and when each was last used (JSON lines)")
    .action((_options: unknown, command: Command) => {
      const { config } = commandContext(command.optsWithGlobals<GlobalOptions>());
      const repos = repoCacheFrom(config);
      const lastUsed = (ms: number) => new Date(ms).toISOString();
      for (const mirror of repos.list()) {
        process.stdout.write(
          `${JSON.stringify({ kind: "mirror", path: mirror.path, lastUsed: lastUsed(mirror.lastUsedMs) })}\n`,
        );
      }
      for (const history of listBaseHistories(repos.dir).filter((entry) => entry.complete)) {
        const { path, commit, lastUsedMs } = history;
        process.stdout.write(
          `${JSON.stringify({ kind: "history", path, commit, lastUsed: lastUsed(lastUsedMs) })}\n`,
        );
      }
    });

  cache
    .command("prune")
    .description(
      "remove mirrors, base histories and kept setups unused for a while; workspaces, sandbox cgroups and containers left by runs that died; and container images swe-review pulled",
    )
    .option(
      "--older-than <days>",
      "remove mirrors, histories and setups unused, and images pulled, this many days ago",
      "30",
    )
    .option("--all", "remove every mirror, history, setup and pulled image not in use")
    .option("--dry-run", "only say what would be removed")
    .addOption(
      pathOption(
        "--setup-cache <dir>",
        "the kept setups' folder (default: ~/.cache/swe-review/setup)",
        "output-folder",
      ),
    )
    .action(
      async (
        options: { olderThan: string; all?: boolean; dryRun?: boolean; setupCache?: string },
        command: Command,
      ) => {
        const days = nonNegativeNumber(options.olderThan, "--older-than", "a number of days, e.g. 30");
        const { config, logger } = commandContext(command.optsWithGlobals<GlobalOptions>());
        const report = pruneCache({
          cache: repoCacheFrom(config, logger),
          setups: new SetupCache(options.setupCache ?? defaultSetupCacheDir(), logger),
          workspaceRoots: allWorkspaceRoots(config),
          olderThanDays: days,
          ...(options.all ? { all: true } : {}),
          ...(options.dryRun ? { dryRun: true } : {}),
        });
        const engine = await pruneEngine(
          () => findEngine(),
          (found) => checkEngine(found, { timeoutMs: 5_000 }),
          {
            ...(options.all ? {} : { pulledBefore: new Date(Date.now() - days * 24 * 3600 * 1000) }),
            ...(options.dryRun ? { dryRun: true } : {}),
          },
        );
        if (engine.skipped) {
          process.stderr.write(
            `No container engine reachable (${engine.skipped}): containers and images left alone.\n`,
          );
        }
        process.stdout.write(`${JSON.stringify({ ...report, ...engineFields(engine) }, null, 2)}\n`);
      },
    );
}

/** The engine's part of `cache prune`'s report: what was removed there, or why nothing was. */
function engineFields(engine: Awaited<ReturnType<typeof pruneEngine>>) {
  return {
    engine: engine.engine,
    containers: engine.containers,
    images: engine.images,
    ...(engine.imagesKept.length > 0 ? { imagesKept: engine.imagesKept } : {}),
    volumes: engine.volumes,
  };
}
