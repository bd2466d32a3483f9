/**
 * How a sandbox's first process is started: through a bash that joins the sandbox's cgroups (before anything in it
 * can fork, so no process escapes the limits) and closes every file descriptor it inherited but 0–2 (and 3 when it
 * carries the seccomp filter), then execs the launch. Node passes its own inherited descriptors to children: one
 * open on the caller's side (a pipe, a folder) would otherwise reach the sandbox.
 */
export function launchWrapper(
  argv: readonly string[],
  options: { cgroupProcs: readonly string[]; keepFd3: boolean },
): { file: string; args: string[] } {
  const highestKept = options.keepFd3 ? 3 : 2;
  const script = [
    'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done',
    `for fd in /proc/$$/fd/*; do fd=\${fd##*/}; [ "$fd" -gt ${highestKept} ] && eval "exec $fd>&-" 2>/dev/null; done`,
    'exec "$@"',
  ].join("\n");
  return {
    file: "bash",
    // --norc: given sockets for stdio (as Node gives), bash takes itself for a remote shell and reads ~/.bashrc.
    args: [
      "--norc",
      "--noprofile",
      "-c",
      script,
      "swe-review-launch",
      String(options.cgroupProcs.length),
      ...options.cgroupProcs,
      ...argv,
    ],
  };
}
