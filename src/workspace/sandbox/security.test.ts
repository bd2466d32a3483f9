import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hostProcessesMatching,
  NO_BWRAP,
  openTestSandbox,
  type TestSandbox,
} from "../../../test/helpers/sandbox.js";
import { skipTitle, unless } from "../../../test/helpers/skip.js";
import { waitUntil } from "../../../test/helpers/wait.js";
import { fileEditorTool } from "../../tools/openhands/file-editor/tool.js";
import { findBwrap } from "./bwrap.js";
import { CgroupLimits } from "./cgroup.js";
import { openSandbox } from "./open.js";

const SECRET_KEY = "sk-live-SANDBOXTEST-0123456789";
const HOME_SECRET = join(homedir(), `.swe-review-test-secret-${process.pid}`);
const CGROUPS = CgroupLimits.create(`probe-${process.pid}`, { pidsMax: 64, memoryMb: 256 });
await CGROUPS?.dispose();

// The isolation tests need bubblewrap; CI installs it (.ci/run). Without it there is nothing to test.
describe.skipIf(NO_BWRAP)(skipTitle("the bwrap sandbox", NO_BWRAP), () => {
  let box: TestSandbox;
  let server: Server;
  let port = 0;
  let connections = 0;
  const run = async (command: string, timeoutMs = 20_000) => box.shell.run(command, timeoutMs);

  beforeAll(async () => {
    writeFileSync(HOME_SECRET, "the user's private key\n");
    process.env.OPENAI_API_KEY = SECRET_KEY;
    server = createServer((socket) => {
      connections++;
      socket.end("hello from the host\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    port = (server.address() as { port: number }).port;
    box = await openTestSandbox({
      kind: "bwrap",
      limits: { pidsMax: 128, memoryMb: 1024 },
      maxCommandOutputBytes: 4 << 20,
    });
  });
  afterAll(async () => {
    delete process.env.OPENAI_API_KEY;
    rmSync(HOME_SECRET, { force: true });
    await box?.dispose();
    server?.close();
  });

  it("has no network: the host's 127.0.0.1 is unreachable", async () => {
    const python = await run(
      `python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port}), timeout=3)" 2>&1 | tail -1`,
    );
    expect(python.output).toMatch(/ConnectionRefusedError|Connection refused|timed out/);
    const bash = await run(`timeout 3 bash -c 'cat < /dev/tcp/127.0.0.1/${port}' 2>&1; echo rc=$?`);
    expect(bash.output).not.toContain("hello from the host");
    const interfaces = await run("cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '");
    expect(interfaces.output.trim().split("\n")).toEqual(["lo"]);
    expect(connections).toBe(0);
  });

  it("cannot write outside /testbed, /tmp and its private root", async () => {
    const mirror = box.workspace.history.objectsDir;
    for (const target of [
      `${mirror}/evil`,
      "/review_data/problem_statement.txt",
      "/usr/bin/evil",
      "/etc/evil",
    ]) {
      const result = await run(`echo x > ${target}; echo rc=$?`);
      expect(result.output).toMatch(/Read-only file system|Permission denied|No such file/);
      expect(result.output).toMatch(/rc=1/);
    }
    expect(readFileSync(join(box.workspace.reviewData, "problem_statement.txt"), "utf8")).toBe(
      "add() subtracts",
    );
    // "/root" is the sandbox's own home inside its private root, not the user's
    const home = await run("mkdir -p /root/.ssh && echo key > /root/.ssh/id_rsa && echo ok");
    expect(home.output).toBe("ok\n");
    expect(readdirSync(join(box.workspace.rootfs, "root", ".ssh"))).toEqual(["id_rsa"]);
    const writable = await run("touch /testbed/a /tmp/b /review_report.json && echo ok");
    expect(writable.output).toBe("ok\n");
    expect(box.workspace.deliverable("review_report.json")).toMatchObject({ kind: "file", text: "" });
  });

  it("sees no home folders, credentials or secrets from the parent's environment", async () => {
    const secret = await run(
      `cat ${HOME_SECRET} 2>&1; ls /home 2>&1; env; cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n'`,
    );
    expect(secret.output).not.toContain("the user's private key");
    expect(secret.output).toMatch(/No such file or directory/);
    expect(secret.output).not.toContain(SECRET_KEY);
    expect(secret.output).not.toMatch(/OPENAI_API_KEY/);
    const shadow = await run("cat /etc/shadow /etc/gshadow 2>&1; ls /etc/ssh 2>&1 | wc -l");
    expect(shadow.output).not.toMatch(/root:/);
    expect(shadow.output).toMatch(/\n0\n$/);
    const caps = await run("grep CapEff /proc/self/status");
    expect(caps.output).toMatch(/CapEff:\s+0+\n/);
  });

  it("cannot see files the harness keeps hidden next to the workspace", async () => {
    mkdirSync(join(box.workspace.dir, "hidden"), { recursive: true });
    writeFileSync(join(box.workspace.dir, "hidden", "labels-swe-review-hidden.json"), '{"resolved": true}');
    writeFileSync(join(box.root, "tests-swe-review-hidden.py"), "def test_hidden(): pass\n");
    const search = await run("find / -name '*-swe-review-hidden*' 2>/dev/null");
    expect(search.output).toBe("");
  });

  it("does not follow symlinks out of the sandbox in file_editor", async () => {
    await run(`ln -s ${HOME_SECRET} /testbed/escape`);
    const editor = fileEditorTool({ securityRisk: false, files: box.files, cwd: "/testbed" });
    const result = await editor.run(
      { command: "view", path: "/testbed/escape" },
      { signal: new AbortController().signal, callId: "c", step: 1, logger: {} as never },
    );
    expect(result.output).not.toContain("the user's private key");
    expect(result.output).toMatch(/does not exist/);
  });

  it("contains endless output, sleep and a stuck command with caps and timeouts", async () => {
    const flood = await box.shell.run("yes", 20_000);
    expect(flood.overflowKilled).toBe(true);
    expect(flood.output.length).toBeLessThan(3 << 20);
    const started = Date.now();
    const sleeper = await box.shell.run("sleep 1000", 1_000);
    expect(sleeper.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(8_000);
    const after = await run("echo still alive");
    expect(after.output).toBe("still alive\n");
  });

  const noCgroups = unless(CGROUPS, "no writable cgroup hierarchy (root on cgroup v2, as in CI)");
  it.skipIf(noCgroups)(skipTitle("contains a fork bomb with the pids limit", noCgroups), async () => {
    // Needs a writable cgroup hierarchy (root, as in CI); without one the PID namespace and timeouts are all there is.
    const bomb = await box.shell.run("bomb() { bomb | bomb & }; bomb; sleep 2; echo survived", 15_000);
    expect(bomb.output.slice(-500)).toMatch(/fork: (retry: )?Resource temporarily unavailable|survived/);
    await box.shell.reset();
    const after = await run("echo usable");
    expect(after.output).toBe("usable\n");
  });

  it("lets git work on the checkout without touching the mirror", async () => {
    const before = readdirSync(box.workspace.history.objectsDir).sort();
    const result = await run(
      [
        "cd /testbed",
        "git status --porcelain",
        "sed -i 's/a - b/a + b/' app.py",
        "git diff --stat",
        "git add -A && git diff --cached --name-only",
        "printf 'hello\\n' > extra.txt && git add extra.txt && git commit -qm local && git log --oneline | wc -l",
        "git log --all --oneline | wc -l",
      ].join(" && "),
    );
    expect(result.output).toMatch(/app\.py \| 2 \+-/);
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/\n2\n2\n$/);
    expect(readdirSync(box.workspace.history.objectsDir).sort()).toEqual(before);
  });

  it("keeps the shell's jobs, kills the daemons and orphans a command leaves, and leaves nothing at the end", async () => {
    const other = await openTestSandbox({ kind: "bwrap" });
    // Each stray says it started (a file in /testbed) before it sleeps, so the test cannot pass by their not starting.
    const stray = (n: number) => `sh -c 'touch /testbed/started-${n}; exec sleep ${n}'`;
    const daemon = `python3 -c "import os\nif os.fork() == 0:\n  os.setsid()\n  if os.fork() == 0: os.execvp('sh', ['sh', '-c', 'touch /testbed/started-1004; exec sleep 1004'])"`;
    await other.shell.run(
      `sleep 1001 & setsid nohup sleep 1002 > /dev/null 2>&1 & (${stray(1003)} &) ; setsid -f ${stray(1005)}; ${daemon}; ` +
        "while [ ! -e /testbed/started-1003 ] || [ ! -e /testbed/started-1004 ] || [ ! -e /testbed/started-1005 ]; do sleep 0.05; done; echo started",
      20_000,
    );
    const running = (markers: string[]) => markers.flatMap((marker) => hostProcessesMatching(marker));
    // The shell's own jobs outlive the command, as in any terminal.
    await waitUntil(
      () => running(["sleep 1001", "sleep 1002"]).length >= 2,
      "the shell's jobs to run",
      20_000,
    );
    // A subshell's orphan, `setsid -f` and a double-forked daemon were reparented away from the shell: killed as
    // the command ended, before the agent saw its output.
    expect(running(["sleep 1003", "sleep 1004", "sleep 1005"])).toEqual([]);
    await other.dispose();
    // Killed processes leave the process table a moment after the kill (their reaping is asynchronous).
    const all = ["sleep 1001", "sleep 1002"];
    await waitUntil(
      () => running(all).length === 0,
      `no job left behind (still: ${running(all).join("; ")})`,
      10_000,
    );
  });
});

describe.skipIf(NO_BWRAP)(skipTitle("a workspace opened again after an agent worked in it", NO_BWRAP), () => {
  it("hands over nothing a link points to, and runs none of the agent's top-level folders", async () => {
    const first = await openTestSandbox({ kind: "bwrap" });
    const hostFile = join(first.root, "host-owned.txt");
    writeFileSync(hostFile, "the host's\n");
    try {
      // A link to a host file (the next start hands the workspace to the sandbox's user: not what links point
      // to), and a /lib64 of the agent's own with a "loader" in it, where the host has a link to usr/lib64.
      const planted = await first.shell.run(
        `ln -s ${hostFile} /testbed/to-host && ln -s ${hostFile} /to-host && ` +
          "if [ -L /lib64 ]; then rm /lib64 && mkdir /lib64 && echo planted > /lib64/ld-linux-x86-64.so.2; fi; echo ok",
        10_000,
      );
      expect(planted.output).toContain("ok");
      await first.close();
      const again = await openSandbox(first.workspace, { kind: "bwrap" });
      try {
        const seen = await again.shell.run(
          "readlink /lib64 || echo no-link; cat /testbed/to-host 2>&1",
          10_000,
        );
        if (lstatSync("/lib64").isSymbolicLink()) expect(seen.output).toMatch(/^usr\/lib64$/m);
        expect(seen.output).not.toContain("the host's");
      } finally {
        await again.close();
      }
      expect(statSync(hostFile).uid).toBe(process.getuid?.());
    } finally {
      await first.dispose();
    }
  });
});

describe("without bubblewrap", () => {
  it("says how to install it or opt out", () => {
    expect(() => findBwrap({ PATH: "/nonexistent" })).toThrowError(
      /apt-get install bubblewrap.*--sandbox local/s,
    );
  });
});

describe("the local sandbox", () => {
  it("runs in the workspace's real folders with a clean environment, and cleans up", async () => {
    process.env.OPENAI_API_KEY = SECRET_KEY;
    const box = await openTestSandbox({ kind: "local" });
    try {
      expect(box.paths.testbed).toBe(box.workspace.testbed);
      expect(box.paths.root).toBe(box.workspace.rootfs);
      const result = await box.shell.run(
        "pwd; echo $HOME; env | grep -c SANDBOXTEST; echo x > $TMPDIR/t && echo ok",
        5_000,
      );
      expect(result.output).toBe(`${box.workspace.testbed}\n${join(box.workspace.rootfs, "root")}\n0\nok\n`);
      await box.shell.run("sleep 1004 &", 5_000);
    } finally {
      delete process.env.OPENAI_API_KEY;
      await box.dispose();
    }
    await waitUntil(() => hostProcessesMatching("sleep 1004").length === 0, "no job left behind", 10_000);
  });
});
