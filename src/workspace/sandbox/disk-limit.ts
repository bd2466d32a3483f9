import type { WaitResult } from "../supervisor/protocol.js";

/** What an agent (or a user of `swe-review sandbox`) is told when the workspace is past its disk limit. */
export function diskLimitNote(disk: NonNullable<WaitResult["disk"]>): string {
  const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;
  const grown = `the workspace (/testbed and files outside /tmp) has grown by ${mib(disk.grownBytes)}, past its ${mib(disk.limitBytes)} limit`;
  if (disk.jobsStopped)
    return `[Background jobs were stopped while no command ran: ${grown}. Remove files you do not need before running commands that write more.]`;
  return disk.killed
    ? `[The command was stopped, and the shell restarted: ${grown}. Remove files you do not need before running commands that write more.]`
    : `[Disk limit: ${grown}. The next command that adds to it will be stopped; remove files you do not need.]`;
}
