import { type Command, Option } from "commander";
import { openAgentPlace } from "../../agent-place/agent-place.js";
import { setupSettingsFrom } from "../../assembly/agent-environment.js";
import { repoCacheFrom, sandboxOptionsFrom, workspaceRootFrom } from "../../assembly/workspace-options.js";
import { shellQuote } from "../../common/shell-quote.js";
import { resolveRepoSource } from "../../workspace/repo-source.js";
import { diskLimitNote } from "../../workspace/sandbox/disk-limit.js";
import { openSandbox } from "../../workspace/sandbox/open.js";
import type { Workspace } from "../../workspace/workspace.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { positiveNumber } from "../option-parsers.js";
import { pathOption, REPOSITORY } from "../path-options.js";
import { addSetupOptions, type SetupFlags, setupLayer, withWorktreeDeps } from "../setup-options.js";

interface SandboxOptions extends SetupFlags {
  repo: string;
  base: string;
  sandbox?: "bwrap" | "local" | "docker";
  tmpfs?: boolean;
  keep?: boolean;
  timeout: string;
  network?: boolean;
}

export function registerSandboxCommand(program: Command): void {
  addSetupOptions(program.command("sandbox"))
    .description(
      "run a command in a fresh workspace exactly as an agent would (checkout at /testbed, sandboxed); prints its output and exits with its exit code",
    )
    .addOption(
      pathOption(
        "--repo <repo>",
        "a local clone, a git URL, owner/name, or owner/name=/path/to/clone",
        REPOSITORY,
      ).makeOptionMandatory(),
    )
    .option("--base <rev>", "commit, branch or tag to check out", "HEAD")
    .addOption(new Option("--sandbox <kind>", "isolation").choices(["bwrap", "local", "docker"]))
    .option("--tmpfs", "make the checkout on tmpfs (/dev/shm)")
    .option("--keep", "keep the workspace afterwards and print where it is")
    .option("--network", "allow network access inside the sandbox")
    .option("--timeout <seconds>", "time limit for the command", "600")
    .argument(
      "<command...>",
      "the command, after --: its words as given (`-- bash -c 'a && b'`), or one word run as a shell line (`-- 'a && b'`)",
    )
    .action(async (words: string[], options: SandboxOptions, command: Command) => {
      const timeout = positiveNumber(options.timeout, "--timeout", "seconds, e.g. 600");
      const { config, logger } = commandContext(command.optsWithGlobals<GlobalOptions>(), {
        workspace: {
          ...(options.tmpfs ? { tmpfs: true } : {}),
          ...(options.keep ? { keep: true } : {}),
        },
        ...(options.sandbox ? { sandbox: { kind: options.sandbox } } : {}),
        ...setupLayer(options),
      });
      const source = resolveRepoSource(options.repo);
      const sandbox = {
        ...sandboxOptionsFrom(config, logger),
        ...(options.network ? { network: true } : {}),
      };
      // With --sandbox docker: a container of --image with a copy of the checkout.
      const place = await openAgentPlace(
        {
          source,
          base: options.base,
          run: "sandbox",
          container: config.sandbox.kind === "docker",
        },
        {
          cache: repoCacheFrom(config, logger),
          workspaceRoot: workspaceRootFrom(config),
          sandbox,
          setup: withWorktreeDeps(setupSettingsFrom(config, logger), options, source),
        },
        logger,
      );
      let exitCode = 1;
      try {
        const box = place.box ?? (await openSandbox(place.workspace as Workspace, place.sandbox));
        try {
          const result = await box.shell.run(commandLine(words), timeout * 1000);
          process.stdout.write(result.output);
          if (result.disk) process.stderr.write(`${diskLimitNote(result.disk)}\n`);
          exitCode = result.timedOut ? 124 : (result.exitCode ?? 1);
          process.stderr.write(
            `[${result.timedOut ? `timed out after ${timeout} s` : `exit ${exitCode}`}; commit ${place.commit.slice(0, 12)}; ${box.sandbox.kind} sandbox]\n`,
          );
        } finally {
          await box.close();
        }
      } finally {
        if (config.workspace.keep && place.workspace) {
          process.stderr.write(`[workspace kept at ${place.workspace.dir}]\n`);
        } else await place.dispose();
      }
      process.exitCode = exitCode;
    });
}

/** One word is a shell line, as the user wrote it; several are a program and its arguments, each kept whole. */
export function commandLine(words: readonly string[]): string {
  return words.length === 1 ? (words[0] ?? "") : words.map(shellQuote).join(" ");
}
