import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openContainerCheckout } from "../../src/containers/container-checkout.js";
import type { Engine } from "../../src/containers/engine.js";
import { skipReasons, skipTitle } from "../helpers/skip.js";
import { baseImageSkipReason, engineForTests, instanceImage } from "../support/container-images.js";

const engine = await engineForTests();
const skip = typeof engine === "string" ? engine : await baseImageSkipReason(engine);
let compiler: string | undefined;
try {
  execFileSync("cc", ["--version"], { stdio: "ignore" });
} catch {
  compiler = "no C compiler on this machine (cc)";
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Where planted code records itself: a line per process it ran in that had capabilities, and what they gave it. */
const SUP = "$(grep -l 'supervisor/main.js' /proc/[0-9]*/cmdline 2>/dev/null | head -1 | cut -d/ -f3)";

/**
 * A shared library for /etc/ld.so.preload: in every process that loads it with any effective capability, it
 * records the capabilities and whether the supervisor's descriptors (its stdout: forged answers) could be opened.
 */
const PRELOAD_C = String.raw`
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
__attribute__((constructor)) static void planted(void) {
  char line[256], eff[64] = "";
  FILE *status = fopen("/proc/self/status", "r");
  if (!status) return;
  while (fgets(line, sizeof line, status)) if (!strncmp(line, "CapEff:", 7)) sscanf(line + 7, "%63s", eff);
  fclose(status);
  if (!strcmp(eff, "0000000000000000")) return;
  const char *fd = "denied";
  DIR *proc = opendir("/proc");
  struct dirent *entry;
  while (proc && (entry = readdir(proc))) {
    char path[300], cmd[512] = "";
    snprintf(path, sizeof path, "/proc/%s/cmdline", entry->d_name);
    int in = open(path, O_RDONLY);
    if (in < 0) continue;
    ssize_t got = read(in, cmd, sizeof cmd - 1);
    close(in);
    for (ssize_t i = 0; i < got; i++) if (!cmd[i]) cmd[i] = ' ';
    if (!strstr(cmd, "supervisor/main.js")) continue;
    snprintf(path, sizeof path, "/proc/%s/fd/1", entry->d_name);
    int out = open(path, O_WRONLY);
    if (out >= 0) { fd = "writable"; close(out); }
  }
  if (proc) closedir(proc);
  FILE *log = fopen("/tmp/planted.txt", "a");
  if (log) { fprintf(log, "CAPS=%s SUPERVISOR_STDOUT=%s\n", eff, fd); fclose(log); }
}
`;

const noEngineOrCompiler = skipReasons(skip, compiler);
describe.skipIf(noEngineOrCompiler)(
  skipTitle("code an agent plants in the image", noEngineOrCompiler),
  () => {
    it("never runs with the supervisor's capabilities: not through /bin/sh when the shell restarts, mkfifo when a command's FIFO is made, nor /etc/ld.so.preload when a program is run", async () => {
      const root = mkdtempSync(join(tmpdir(), "swe-review-container-caps-"));
      made.push(root);
      const repoDir = join(root, "repo");
      const git = (...args: string[]) => execFileSync("git", ["-C", repoDir, ...args], { encoding: "utf8" });
      execFileSync("git", ["init", "-q", repoDir]);
      writeFileSync(join(repoDir, "a.txt"), "a\n");
      git("add", "-A");
      git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "base");
      const base = git("rev-parse", "HEAD").trim();
      const image = await instanceImage(engine as Engine, {
        name: "capabilities",
        repoDir,
        baseCommit: base,
        laterRefs: false,
      });
      execFileSync("cc", ["-shared", "-fPIC", "-O2", "-o", join(root, "p.so"), "-x", "c", "-"], {
        input: PRELOAD_C,
      });
      const checkout = await openContainerCheckout({
        docker: (engine as Engine).docker,
        image,
        run: "test capabilities",
        hostRoot: join(root, "host"),
        base,
      });
      try {
        const { shell, files } = checkout.box;
        // The engine's init (PID 1) holds the container's stdout too: the agent cannot open its descriptors.
        const init = await shell.run(
          `(echo '{"id":99999,"ok":true,"result":null}' > /proc/1/fd/1) 2>/dev/null && echo INIT=writable || echo INIT=denied; ` +
            "echo LIMITS $(ulimit -f) $(ulimit -n)",
          30_000,
        );
        expect(init.output).toContain("INIT=denied");
        expect(init.output).toMatch(/LIMITS \d+ 1024/);
        // The shell restarts (a timed-out command, or the agent ended it): the supervisor starts it again.
        const planted = await shell.run(
          [
            `sup=${SUP}`,
            "real=$(readlink -f /bin/sh)",
            "rm -f /bin/sh",
            `printf '#!/bin/bash\\n[ "$(grep CapEff /proc/self/status | cut -f2)" = 0000000000000000 ] || ` +
              `{ ls /proc/'$sup'/fd >/dev/null 2>&1 && f=readable || f=denied; ` +
              `echo "SH CAPS=$(grep CapEff /proc/self/status | cut -f2) SUPERVISOR_FD=$f" >> /tmp/planted.txt; }\\n` +
              `exec '$real' "$@"\\n' > /bin/sh`,
            "chmod 755 /bin/sh && echo PLANTED",
          ].join("\n"),
          30_000,
        );
        expect(planted.output).toContain("PLANTED");
        await shell.reset();
        expect((await shell.run("echo again", 30_000)).output).toContain("again");
        // The supervisor makes its commands' stdin FIFOs afresh when they are missing (the agent can remove them).
        const fifo = await shell.run(
          [
            "real=$(command -v mkfifo)",
            "mv $real $real.real",
            `printf '#!/bin/bash\n[ "$(grep CapEff /proc/self/status | cut -f2)" = 0000000000000000 ] || ` +
              `echo "MKFIFO CAPS=$(grep CapEff /proc/self/status | cut -f2)" >> /tmp/planted.txt\n` +
              `exec '$real.real' "$@"\n' > $real`,
            "chmod 755 $real",
            "rm -f /tmp/.swe-review-control/in-*",
            "echo FIFOS-GONE",
          ].join("\n"),
          30_000,
        );
        expect(fifo.output).toContain("FIFOS-GONE");
        expect((await shell.run("echo still", 30_000)).output).toContain("still");
        // Any program the host runs for the agent (the file editor lists folders through `run`).
        await files.write("/tmp/p.so", readFileSync(join(root, "p.so")));
        const preload = await shell.run(
          [
            "echo /tmp/p.so > /etc/ld.so.preload",
            "mv /etc/ld.so.preload /etc/old-preload",
            "rm -rf /etc/ld.so.preload",
            "umount /etc/ld.so.preload",
            "echo /tmp/p.so > /etc/ld.so.preload",
            "echo TRIED",
          ].join("\n"),
          30_000,
        );
        expect(preload.output).toContain("TRIED");
        const ran = await files.run(["true"], { cwd: "/testbed" });
        expect(ran.exitCode).toBe(0);
        const seen = await files.run(["sh", "-c", "cat /tmp/planted.txt 2>/dev/null; echo END"]);
        expect(seen.stdout.trim()).toBe("END");
      } finally {
        await checkout.dispose();
      }
    }, 300_000);
  },
);
