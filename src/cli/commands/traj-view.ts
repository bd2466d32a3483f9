import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { servePage, writeViewerPage } from "../../web/viewer/write-view.js";
import { pathArgument, pathOption } from "../path-options.js";
import { listenFailure, parsePort } from "../port-option.js";

/** `swe-review traj view`: one self-contained HTML page of a run or a trajectory, optionally served locally. */
export function registerTrajViewCommand(traj: Command): void {
  traj
    .command("view")
    .description(
      "write one self-contained HTML page of a run directory or trajectory (steps, reasoning, calls, observations, " +
        "usage, the final report; for a run an index with filters); --serve also serves it on localhost",
    )
    .addArgument(pathArgument("<path>", "a run directory or a trajectory file", "file-or-folder"))
    .addOption(
      pathOption(
        "--out <file>",
        "where to write the page (default: <run>/trajectories.html or <trajectory>.html)",
        "output-file",
      ),
    )
    .option("--serve", "serve the page at http://127.0.0.1:<port>/ until interrupted")
    .option("--port <n>", "port for --serve (0 picks a free one)", parsePort, 0)
    .action(async (path: string, flags: { out?: string; serve?: boolean; port: number }) => {
      const { file, trajectories } = writeViewerPage(path, flags.out);
      if (!flags.serve) {
        process.stdout.write(`${JSON.stringify({ file, trajectories })}\n`);
        return;
      }
      const server = await servePage(() => readFileSync(file, "utf8"), flags.port).catch((error: unknown) => {
        throw listenFailure(error, flags.port);
      });
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : flags.port;
      process.stdout.write(`${JSON.stringify({ file, trajectories, url: `http://127.0.0.1:${port}/` })}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
