// Runs many CLI invocations in one process through the built CLI's `main` (what dist/cli.js calls), so tests that
// need hundreds of them do not pay for loading the CLI each time. Reads [{ argv }] as JSON on stdin; writes
// [{ code, stdout, stderr }] as JSON on stdout. A case that does not finish in time ends the batch (code null).
import { main } from "../../dist/cli/main.js";

const TIMEOUT_MS = Number(process.env.CLI_BATCH_CASE_TIMEOUT_MS ?? 20_000);
let input = "";
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
const write = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};
const results = [];
for (const { argv } of cases) {
  let stdout = "";
  let stderr = "";
  process.stdout.write = (chunk) => {
    stdout += chunk;
    return true;
  };
  process.stderr.write = (chunk) => {
    stderr += chunk;
    return true;
  };
  process.exitCode = undefined;
  let timer;
  const code = await Promise.race([
    main(["node", "swe-review", ...argv]),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  process.stdout.write = write.out;
  process.stderr.write = write.err;
  results.push({ code, stdout, stderr });
  if (code === null) break; // its action is still running: the rest would not be alone
}
process.exitCode = 0;
write.out(JSON.stringify(results), () => process.exit(0));
