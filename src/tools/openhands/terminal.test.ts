import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAS_BWRAP, openTestSandbox, type TestSandbox } from "../../../test/helpers/sandbox.js";
import { dispatchToolCall } from "../../agent/dispatch.js";
import { systemClock } from "../../common/clock.js";
import { silentLogger } from "../../common/logger.js";
import type { Tool } from "../tool.js";
import { terminalTool } from "./terminal.js";

let box: TestSandbox;
let terminal: Tool<{ command: string; is_input?: boolean; timeout?: number; reset?: boolean }>;

beforeAll(async () => {
  // Shell behaviour is the same in both backends; the isolation itself is tested in security.test.ts.
  box = await openTestSandbox({ kind: HAS_BWRAP ? "bwrap" : "local" });
  terminal = terminalTool({
    securityRisk: false,
    shell: box.shell,
    files: box.files,
    observationsDir: `${box.paths.tmp}/swe-review-observations`,
    softTimeoutMs: 1000,
  }) as never;
});
afterAll(async () => box?.dispose());

async function call(args: Record<string, unknown>): Promise<{ content: string; isError: boolean }> {
  const { observation } = await dispatchToolCall(
    { id: "c", name: "terminal", arguments: JSON.stringify(args) },
    new Map([["terminal", terminal as Tool<unknown>]]),
    { step: 1, signal: new AbortController().signal, clock: systemClock, logger: silentLogger },
  );
  return { content: observation.content, isError: observation.isError };
}

const META = (code: number) =>
  new RegExp(
    `\\n\\[The command completed with exit code ${code}\\.\\]\\n\\[Current working directory: [^\\]]+\\](\\n\\[Python interpreter: [^\\]]+\\])?\\n\\[Command finished with exit code ${code}\\]$`,
  );

describe("terminal", () => {
  it("reports output, exit code twice and the working directory", async () => {
    const { content } = await call({ command: "echo hello" });
    expect(content).toMatch(
      /^hello\n\[The command completed with exit code 0\.\]\n\[Current working directory: /,
    );
    expect(content).toMatch(META(0));
    expect(content).toContain(`[Current working directory: ${box.paths.testbed}]`);
    const empty = await call({ command: "true" });
    expect(empty.content.startsWith("\n[The command completed with exit code 0.]")).toBe(true);
    const failing = await call({ command: "ls /no/such/dir" });
    expect(failing.content).toMatch(/No such file or directory/);
    expect(failing.content).toMatch(META(2));
  });

  it("keeps the working directory and exported variables between commands", async () => {
    await call({ command: `cd ${box.paths.tmp} && export SWE_TEST=kept` });
    const { content } = await call({ command: "pwd; echo $SWE_TEST" });
    expect(content).toMatch(new RegExp(`^${box.paths.tmp}\\nkept\\n`));
    await call({ command: `cd ${box.paths.testbed}` });
  });

  it("returns control on silence (exit -1), then takes input and completes", async () => {
    const waiting = await call({ command: "read name; echo hello $name" });
    expect(waiting.content).toMatch(/\[The command has no new output after 1 seconds\. It is still running/);
    expect(waiting.content).not.toMatch(/Command finished/);
    const answered = await call({ command: "world", is_input: true });
    expect(answered.content).toMatch(/^hello world\n\[The command completed with exit code 0\.\]/);
  });

  it("lets the agent wait with an empty command and refuses a new command while one runs", async () => {
    // The command outlives two soft timeouts by a wide margin, so it is still running when refused.
    const first = await call({ command: "sleep 4; echo finished" });
    expect(first.content).toMatch(/no new output after 1 seconds/);
    const refused = await call({ command: "echo other" });
    expect(refused.content).toMatch(/^\[Below is the output of the previous command\.\]\n/);
    expect(refused.content).toMatch(/Your command "echo other" was NOT executed/);
    let done = await call({ command: "" });
    for (let waits = 1; /no new output/.test(done.content) && waits < 10; waits++)
      done = await call({ command: "" });
    expect(done.content).toMatch(/^finished\n\[The command completed with exit code 0\.\]/);
  });

  it("keeps the last output of a command that exits the shell, even with a job holding its pipes, and starts anew", async () => {
    const first = await call({ command: "cd /tmp; seq 1 2000 | tail -n 1; exit 3" });
    expect(first.content).toMatch(/^2000\n\[The command completed with exit code 3\.\]/);
    expect(first.content).toContain("[The shell exited; the next command starts a new session.]");
    const started = Date.now();
    const held = await call({ command: "(sleep 29.75 &); echo last words; exit 4" });
    expect(held.content).toMatch(/^last words\n\[The command completed with exit code 4\.\]/);
    expect(Date.now() - started).toBeLessThan(20_000); // not held until the background job ends
    const fresh = await call({ command: "pwd" });
    expect(fresh.content).toMatch(new RegExp(`^${box.paths.testbed}\\n`));
    await call({ command: "pkill -f 'sleep 29.75' || true" });
  });

  it("starts a new shell after one killed by a signal, and a reset right after such a death returns", async () => {
    const killed = await call({ command: "kill -9 $$" });
    expect(killed.content).toContain("[The shell exited; the next command starts a new session.]");
    const next = await call({ command: "echo hello" });
    expect(next.content).toMatch(/^hello\n\[The command completed with exit code 0\.\]/);
    await call({ command: "(sleep 28.75 &); kill -9 $$" });
    const reset = await call({ command: "echo fresh", reset: true });
    expect(reset.content).toMatch(/^Terminal session has been reset\..*\n\nfresh\n/s);
    await call({ command: "pkill -f 'sleep 28.75' || true" });
  });

  it("interrupts with C-c and ends input with C-d", async () => {
    await call({ command: "sleep 100" });
    const interrupted = await call({ command: "C-c", is_input: true });
    expect(interrupted.content).toMatch(/\[The command completed with exit code 130\. CTRL\+C was sent\.\]/);
    const cat = await call({ command: "cat" });
    expect(cat.content).toMatch(/no new output/);
    const typed = await call({ command: "typed line", is_input: true });
    expect(typed.content).toMatch(/^\[Below is the output of the previous command\.\]\ntyped line\n/);
    const ended = await call({ command: "C-d", is_input: true });
    expect(ended.content).toMatch(/\[The command completed with exit code 0\. CTRL\+D was sent\.\]/);
  });

  it("stops a command at its hard timeout and keeps the session usable", async () => {
    const started = Date.now();
    const { content } = await call({ command: "echo before; sleep 100", timeout: 1 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(content).toMatch(/^before\n\[The command timed out after 1\.0 seconds and was stopped\./);
    const after = await call({ command: "echo after" });
    expect(after.content).toMatch(/^after\n/);
  });

  it("clips long output to 30,000 characters and saves it in full where the agent can read it", async () => {
    const { content } = await call({ command: "seq 1 20000" });
    expect(content.length).toBe(30_000);
    const notice = /<response clipped><NOTE>.*saved in (\S+); the cut starts at line (\d+)\./.exec(content);
    expect(notice).not.toBeNull();
    const [, path = "", line = ""] = notice ?? [];
    expect(content.startsWith("1\n2\n3\n")).toBe(true);
    expect(content).toMatch(/19999\n20000\n\[The command completed with exit code 0\.\]/);
    const full = await call({ command: `sed -n '1p;${line}p;20000p' ${path}; wc -l < ${path}` });
    expect(full.content).toMatch(new RegExp(`^1\\n${line}\\n20000\\n2000[23]\\n`));
    const head = content.slice(0, content.indexOf("<response clipped>"));
    // OpenHands numbers the cut as (lines in the head) + 1.
    expect(head.split("\n").length).toBe(Number(line) - 1);
  });

  it("resets the session, losing its state", async () => {
    await call({ command: "export GONE=1" });
    const reset = await call({ command: "", reset: true });
    expect(reset.content).toBe(
      "Terminal session has been reset. All previous environment variables and session state have been cleared.",
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template.
    const after = await call({ command: "echo ${GONE:-unset}", reset: true });
    expect(after.content).toMatch(/cleared\.\n\nunset\n\[The command completed with exit code 0\.\]/);
  });

  it("answers misuse with OpenHands' error observations", async () => {
    const nothing = await call({ command: "" });
    expect(nothing).toEqual({
      content: "[An error occurred during execution.]\n\nNo previous running command to retrieve logs from.",
      isError: true,
    });
    const input = await call({ command: "x", is_input: true });
    expect(input.content).toBe(
      "[An error occurred during execution.]\n\nNo previous running command to interact with.",
    );
    const both = await call({ command: "x", is_input: true, reset: true });
    expect(both.content).toBe("Error executing tool 'terminal': Cannot use reset=True with is_input=True");
  });

  it("accepts and drops security_risk and summary, and rejects unknown arguments", async () => {
    const ok = await call({ command: "echo ok", security_risk: "LOW", summary: "print ok" });
    expect(ok.content).toMatch(/^ok\n/);
    const bad = await call({ command: "echo ok", cwd: "/" });
    expect(bad.content).toMatch(/^Error validating args .* for tool 'terminal': unexpected argument cwd/);
    const coerced = await call({ command: "echo coerced", timeout: "5", is_input: "false" });
    expect(coerced.content).toMatch(/^coerced\n/);
  });
});
