#!/usr/bin/env node
import { main } from "./cli/main.js";

// `swe-review … | head` closes the pipe early: what is left to print has no reader, which is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
