import type { Command } from "commander";
import { InputError } from "../../common/errors.js";
import { defaultSetupCacheDir, SetupCache } from "../../harness/run/setup-cache.js";
import { listBaseHistories } from "../../workspace/base-history.js";
import { allWorkspaceRoots, repoCacheFrom } from "../../workspace/from-config.js";
import { pruneCache } from "../../workspace/prune.js";
import { commandContext, type GlobalOptions } from "../context.js";
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
      "remove mirrors, base histories and kept setups unused for a while, and workspaces and sandbox cgroups left by runs that died",
    )
    .option("--older-than <days>", "remove mirrors, histories and setups unused for this many days", "30")
    .option("--all", "remove every mirror, history and setup not in use")
    .option("--dry-run", "only say what would be removed")
    .addOption(
      pathOption(
        "--setup-cache <dir>",
        "the kept setups' folder (default: ~/.cache/swe-review/setup)",
        "output-folder",
      ),
    )
    .action(
      (
        options: { olderThan: string; all?: boolean; dryRun?: boolean; setupCache?: string },
        command: Command,
      ) => {
        const days = Number(options.olderThan);
        if (!Number.isFinite(days) || days < 0) {
          throw new InputError(
            "bad_option",
            `--older-than ${options.olderThan}: expected a number of days, e.g. 30.`,
          );
        }
        const { config, logger } = commandContext(command.optsWithGlobals<GlobalOptions>());
        const report = pruneCache({
          cache: repoCacheFrom(config, logger),
          setups: new SetupCache(options.setupCache ?? defaultSetupCacheDir(), logger),
          workspaceRoots: allWorkspaceRoots(config),
          olderThanDays: days,
          ...(options.all ? { all: true } : {}),
          ...(options.dryRun ? { dryRun: true } : {}),
        });
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      },
    );
}
