import { type StdioOptions, spawn } from "node:child_process";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";
import { TempRepo } from "../helpers/git-repo.js";
import { diffOf, NO_DEBIAN_PYTEST, pythonFixture } from "../helpers/harness-fixtures.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

const IS_ROOT = process.getuid?.() === 0;
const CORE_PATTERN = "/proc/sys/kernel/core_pattern";
/** A marker the exploit's program would write on the host, as whoever the kernel runs it as. */
const HOST_MARKER = join(tmpdir(), `swe-review-owned-${process.pid}`);

/**
 * Tries every kernel knob an attacker with root in the sandbox would reach for, printing `<knob>: denied|WRITABLE`.
 * The last step is the whole exploit: point core_pattern at a program in the workspace (its host path is readable
 * from /proc), then crash a process, so that the kernel runs that program as host root.
 */
const PROBE = String.raw`
try() { if (eval "$2") >/dev/null 2>&1; then echo "$1: WRITABLE"; else echo "$1: denied"; fi; }
try core_pattern "echo '|/testbed/evil.sh' > /proc/sys/kernel/core_pattern"
try drop_caches "echo 3 > /proc/sys/vm/drop_caches"
try sysrq "echo 1 > /proc/sys/kernel/sysrq"
try sysrq_trigger "echo h > /proc/sysrq-trigger"
try modprobe_path "echo /testbed/evil.sh > /proc/sys/kernel/modprobe"
try mount "mount -t tmpfs none /mnt"
try sys "touch /sys/kernel/x || touch /sys/x"
try new_userns "unshare -r true"
try dev "echo x > /dev/planted"
python3 - <<'PY'
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
for name, number, args in [("finit_module", 313, (-1, b"", 0)), ("init_module", 175, (None, 0, b"")),
                           ("mount_syscall", 165, (b"none", b"/mnt", b"tmpfs", 0, None)),
                           ("session_keyring", 250, (0, -3, 0)),  # keyctl(GET_KEYRING_ID, SESSION)
                           ("io_uring", 425, (8, ctypes.create_string_buffer(120)))]:
    result = libc.syscall(number, *args)
    print(f"{name}: {'WRITABLE' if result >= 0 else 'denied'} ({os.strerror(ctypes.get_errno())})")
PY
grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status
printf '#!/bin/sh\nid > ${HOST_MARKER}\n' > /testbed/evil.sh && chmod +x /testbed/evil.sh
echo '|/testbed/evil.sh' > /proc/sys/kernel/core_pattern 2>/dev/null
ulimit -c unlimited; python3 -c 'import ctypes; ctypes.string_at(0)' 2>/dev/null
touch /testbed/still-writable && echo "testbed: writable"
`;

describe.skipIf(NO_BWRAP)(skipTitle("root in the sandbox is not root on the host", NO_BWRAP), () => {
  let corePattern = "";
  beforeAll(() => {
    corePattern = readFileSync(CORE_PATTERN, "utf8");
  });
  afterAll(() => {
    // Were an attack to work, the machine must not stay owned.
    if (IS_ROOT && readFileSync(CORE_PATTERN, "utf8") !== corePattern)
      writeFileSync(CORE_PATTERN, corePattern);
  });

  it("an agent's terminal reaches no kernel knob, and a crash after pointing core_pattern at its program runs nothing", async () => {
    const repo = new TempRepo();
    const base = repo.commit("base", { "app.py": "print('base')\n" });
    const home = mkdtempSync(join(tmpdir(), "swe-review-escape-"));
    const result = await runCli(["sandbox", "--repo", repo.dir, "--base", base, "--keep", "--", PROBE], {
      env: { PATH: process.env.PATH ?? "", HOME: home },
    });
    expect(result.stderr).toMatch(/bwrap sandbox\]/);
    const knobs = Object.fromEntries(
      [...result.stdout.matchAll(/^(\w+): (denied|WRITABLE)/gm)].map((match) => [match[1], match[2]]),
    );
    expect(Object.keys(knobs).sort()).toEqual(
      [
        "core_pattern",
        "dev",
        "drop_caches",
        "finit_module",
        "init_module",
        "io_uring",
        "modprobe_path",
        "mount",
        "mount_syscall",
        "new_userns",
        "session_keyring",
        "sys",
        "sysrq",
        "sysrq_trigger",
      ].sort(),
    );
    for (const [knob, state] of Object.entries(knobs)) expect(`${knob}: ${state}`).toBe(`${knob}: denied`);
    expect(result.stdout).toMatch(/^CapEff:\s+0+$/m);
    expect(result.stdout).toMatch(/^CapBnd:\s+0+$/m);
    expect(result.stdout).toContain("testbed: writable");
    const kept = /workspace kept at (\S+)\]/.exec(result.stderr)?.[1] ?? "";
    const owner = statSync(join(kept, "testbed", "still-writable")).uid;
    // What root inside wrote belongs, outside, to an unprivileged uid (as root) or to us (as a user): never to root.
    if (IS_ROOT) expect(owner).toBeGreaterThan(65_535);
    else expect(owner).toBe(process.getuid?.());
    rmSync(kept, { recursive: true, force: true });
    expect(readFileSync(CORE_PATTERN, "utf8")).toBe(corePattern);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a core helper would run asynchronously
    expect(() => readFileSync(HOST_MARKER)).toThrow(/ENOENT/);
  });

  it.skipIf(NO_DEBIAN_PYTEST)(
    skipTitle(
      "a predictions file whose candidate attacks the kernel while its tests run owns nothing",
      NO_DEBIAN_PYTEST,
    ),
    async () => {
      const fixture = pythonFixture("demo__calc-31");
      const dir = mkdtempSync(join(tmpdir(), "swe-review-escape-verify-"));
      const { dataset: _, ...row } = fixture.instance;
      writeFileSync(join(dir, "instances.jsonl"), `${JSON.stringify(row)}\n`);
      writeFileSync(
        join(dir, ".swe-review.yaml"),
        "test:\n  repo: demo/calc\n  command: '{python} -m pytest -rA -s {test_files}'\n  parser: pytest\n",
      );
      // The module under test, on import: point core_pattern at a program, then crash a child.
      const attack = `import subprocess, sys
try:
    open("${CORE_PATTERN}", "w").write("|/testbed/evil.sh")
    print("ATTACK core_pattern: WRITABLE")
except OSError as error:
    print("ATTACK core_pattern: denied", error)
open("/testbed/evil.sh", "w").write("#!/bin/sh\\nid > ${HOST_MARKER}\\n")
subprocess.run(["chmod", "+x", "/testbed/evil.sh"])
subprocess.run([sys.executable, "-c", "import ctypes; ctypes.string_at(0)"])
`;
      const patch = diffOf(fixture.repo, {
        "calc.py": `${attack}\n${readFileSync(join(fixture.repo.dir, "calc.py"), "utf8")}`,
      });
      writeFileSync(
        join(dir, "preds.jsonl"),
        `${JSON.stringify({ instance_id: row.instance_id, model_name_or_path: "attacker", model_patch: patch })}\n`,
      );
      const result = await runCli(
        [
          "verify",
          "--dataset",
          join(dir, "instances.jsonl"),
          "--candidates",
          join(dir, "preds.jsonl"),
          "--repo",
          `demo/calc=${fixture.repo.dir}`,
          "--output",
          join(dir, "results.jsonl"),
        ],
        { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir }, timeoutMs: 120_000 },
      );
      const line = JSON.parse(readFileSync(join(dir, "results.jsonl"), "utf8").trim().split("\n")[0] ?? "{}");
      const log = readFileSync(line.log, "utf8");
      expect(log, result.stderr).toContain("ATTACK core_pattern: denied");
      expect(readFileSync(CORE_PATTERN, "utf8")).toBe(corePattern);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(() => readFileSync(HOST_MARKER)).toThrow(/ENOENT/);
    },
  );
});

/** Reserves 30 GB without the fallocate system call: the FS_IOC_RESVSP64 ioctl (ext4 and XFS honour it). */
const RESERVE = [
  "import fcntl, os, struct",
  "fd = os.open('/testbed/reserved', os.O_WRONLY | os.O_CREAT)",
  "try: fcntl.ioctl(fd, 0x4030582a, struct.pack('<hh4xqqiI4i', 0, 0, 0, 30 << 30, 0, 0, 0, 0, 0, 0)); print('reserve: WRITABLE')",
  "except OSError as error: print('reserve: denied', error)",
].join("\n");

describe.skipIf(NO_BWRAP)(skipTitle("filling the disk from the sandbox", NO_BWRAP), () => {
  it("hits /tmp's size, the file size limit, and a growth limit that stops the command, with the host's disk untouched", async () => {
    const repo = new TempRepo();
    const base = repo.commit("base", { "app.py": "print('base')\n" });
    const home = mkdtempSync(join(tmpdir(), "swe-review-fill-"));
    const config = join(home, "config.yaml");
    writeFileSync(config, "sandbox:\n  tmpMb: 16\n  diskMb: 64\n");
    const free = () => statfsSync(tmpdir()).bavail * statfsSync(tmpdir()).bsize;
    const before = free();
    const sandbox = (command: string) =>
      runCli(["sandbox", "--config", config, "--repo", repo.dir, "--base", base, "--", command], {
        env: { PATH: process.env.PATH ?? "", HOME: home },
      });
    // The attack the issue reproduced: 30 GB in /tmp, and the same in the checkout, each in one call.
    const huge = await sandbox(
      "fallocate -l 30G /tmp/fill; echo tmp=$?; head -c 40M /dev/zero > /tmp/fill; echo tmp40=$?; " +
        "fallocate -l 30G /testbed/fill; echo testbed=$?; " +
        "for i in $(seq 50); do fallocate -l 8G /testbed/blast-$i 2>/dev/null; done; " +
        `python3 -c "${RESERVE}"; head -c 40M /dev/zero > /dev/shm/fill; echo shm=$?; ` +
        "du -sm /tmp /testbed | cut -f1 | tr '\\n' ' '; echo; " +
        // Last: a file that reaches the file size limit also reaches the growth limit, which stops the command.
        "head -c 100M /dev/zero > /testbed/big; echo big=$?",
    );
    // fallocate reserves gigabytes faster than any watch could react, so the sandbox has none (EOPNOTSUPP, as on
    // file systems without it); written blocks meet /tmp's size and the file size limit.
    expect(huge.stdout).toMatch(/Operation not supported[\s\S]*tmp=1/);
    expect(huge.stdout).toMatch(/No space left on device[\s\S]*tmp40=1/);
    expect(huge.stdout).toMatch(/Operation not supported[\s\S]*testbed=1/);
    expect(huge.stdout).toMatch(/File size limit exceeded/);
    expect(huge.stdout).not.toContain("big=0");
    expect(huge.stdout).toMatch(/^reserve: denied/m);
    expect(huge.stdout).toMatch(/No space left on device[\s\S]*shm=1/);
    const sizes = /^(\d+) (\d+) $/m.exec(huge.stdout);
    expect(Number(sizes?.[1])).toBeLessThan(20);
    expect(Number(sizes?.[2])).toBeLessThan(20);
    // Many files, each under the file limit, written over time: stopped once the workspace grows past 64 MiB.
    const many = await sandbox(
      "for i in $(seq 200); do head -c 1048576 /dev/urandom > /testbed/part-$i; sleep 0.02; done; echo finished",
    );
    expect(many.stdout).not.toContain("finished");
    expect(many.stderr).toMatch(
      /The command was stopped, and the shell restarted: the workspace .* has grown by \d+ MiB, past its 64 MiB limit/,
    );
    expect(before - free()).toBeLessThan(512 * 1024 * 1024);
  });
});

describe.skipIf(NO_BWRAP)(skipTitle("what the CLI inherits", NO_BWRAP), () => {
  it("a file descriptor open in whoever started swe-review does not reach the sandbox", async () => {
    const repo = new TempRepo();
    const base = repo.commit("base", { "app.py": "print('base')\n" });
    const home = mkdtempSync(join(tmpdir(), "swe-review-fds-"));
    const hostFile = join(home, "host-log.txt");
    writeFileSync(hostFile, "the host's own log\n");
    // A caller with a log open for appending (fd 9) and a folder open (fd 8): swe-review passes both on to its
    // children unless it closes them.
    const log = openSync(hostFile, "a");
    const folder = openSync(home, "r");
    const stdio: StdioOptions = [
      "pipe",
      "pipe",
      "pipe",
      "ignore",
      "ignore",
      "ignore",
      "ignore",
      "ignore",
      folder,
      log,
    ];
    const probe = "echo planted >&9; ls /proc/self/fd/8/ 2>&1 | head -3; ls /proc/$$/fd | tr '\\n' ' '; echo";
    const child = spawn(process.execPath, [CLI, "sandbox", "--repo", repo.dir, "--base", base, "--", probe], {
      env: { PATH: process.env.PATH ?? "", HOME: home },
      stdio,
    });
    let stdout = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    await new Promise((resolve) => child.on("close", resolve));
    closeSync(log);
    closeSync(folder);
    expect(stdout).toMatch(/9: Bad file descriptor/);
    expect(stdout).toMatch(/No such file or directory/);
    expect(stdout).not.toContain("host-log.txt");
    expect(readFileSync(hostFile, "utf8")).toBe("the host's own log\n");
  });
});

describe.skipIf(NO_BWRAP)(skipTitle("the supervisor and the agent's shell", NO_BWRAP), () => {
  it("cannot be taken over by what runs beside them, and a stopped supervisor is a clear error, not a hang", async () => {
    const repo = new TempRepo();
    const base = repo.commit("base", { "app.py": "print('base')\n" });
    const home = mkdtempSync(join(tmpdir(), "swe-review-takeover-"));
    const env = { PATH: process.env.PATH ?? "", HOME: home };
    // The forgery that worked: take the supervisor's answer channel (its stdout) with pidfd_getfd, or the shell's
    // input, and write to it; or read and write their memory.
    const probe = `python3 - <<'PY'
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
supervisor = int(open("/proc/%d/stat" % os.getppid()).read().rsplit(")", 1)[1].split()[1])
for name, pid in (("supervisor", supervisor), ("shell", os.getppid())):
    pidfd = libc.syscall(434, pid, 0)  # pidfd_open
    fd = libc.syscall(438, pidfd, 1, 0)  # pidfd_getfd: its stdout
    print(f"{name} getfd: {'TAKEN' if fd >= 0 else 'denied'}")
    for what in ("mem", "fd"):
        try:
            open(f"/proc/{pid}/mem", "rb") if what == "mem" else os.listdir(f"/proc/{pid}/fd")
            print(f"{name} {what}: TAKEN")
        except OSError:
            print(f"{name} {what}: denied")
    print(f"{name} ptrace: {'TAKEN' if libc.ptrace(16, pid, 0, 0) == 0 else 'denied'}")  # PTRACE_ATTACH
PY`;
    const probed = await runCli(["sandbox", "--repo", repo.dir, "--base", base, "--", probe], { env });
    const lines = probed.stdout.trim().split("\n");
    expect(lines, probed.stderr).toHaveLength(8);
    for (const line of lines) expect(line).toMatch(/: denied$/);
    // SIGSTOP on the supervisor (it runs as the same user): the host gives up on it, says so, and cleans up.
    const started = Date.now();
    const stopped = await runCli(
      ["sandbox", "--repo", repo.dir, "--base", base, "--timeout", "1", "--", "kill -STOP $PPID; sleep 100"],
      { env, timeoutMs: 90_000 },
    );
    expect(stopped.stderr).toMatch(/supervisor did not answer .* within \d+ s; the sandbox was stopped/);
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).not.toMatch(/\n\s+at /);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
