import { SweReviewError } from "../common/errors.js";
import { shellQuote } from "../common/shell-quote.js";
import type { OpenSandbox } from "../workspace/sandbox/open.js";
import type { ExtractedDiff } from "./candidate-diff.js";

const GIT_DIR = "/tmp/.swe-review-candidate-git";
const MAX_PATCH_BYTES = 64 * 1024 * 1024;

/**
 * What an agent changed in a container's checkout, by the host's rules (`extractCandidateDiff`): everything staged
 * (`git add -A`) against the base, binary files left out and listed. Run once nothing of the agent's runs any more,
 * inside the container and as the agent's commands run (no capabilities), with a repository of our own over the
 * working tree: no config, hook, filter or index the agent left in `/testbed/.git` (or `~/.gitconfig`) is used.
 * The objects come from the checkout's store, which held the base's history only when the agent started.
 */
export async function containerCandidateDiff(box: OpenSandbox, base: string): Promise<ExtractedDiff> {
  const git = `git --git-dir=${GIT_DIR} --work-tree=/testbed -c core.hooksPath=/dev/null -c core.fsmonitor=false`;
  const setup = [
    "set -eu",
    "export HOME=/nonexistent GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0",
    `rm -rf ${GIT_DIR} && mkdir -p ${GIT_DIR}/objects/info ${GIT_DIR}/refs`,
    `echo /testbed/.git/objects > ${GIT_DIR}/objects/info/alternates`,
    `echo ${shellQuote(base)} > ${GIT_DIR}/HEAD`,
    `${git} read-tree ${shellQuote(base)}`,
    `${git} add -A`,
  ];
  const flags = "--cached --no-ext-diff --no-textconv --no-color";
  const numstat = await run(box, [...setup, `${git} diff ${flags} --numstat -z ${shellQuote(base)}`]);
  const skippedBinary: string[] = [];
  for (const record of numstat.split("\0")) {
    const match = /^-\t-\t(.+)$/.exec(record);
    if (match?.[1]) skippedBinary.push(match[1]);
  }
  const exclude = skippedBinary.map((path) => shellQuote(`:(exclude,literal)${path}`)).join(" ");
  const patch = await run(box, [
    "set -eu",
    "export HOME=/nonexistent GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null",
    `${git} diff ${flags} ${shellQuote(base)} -- . ${exclude}`,
  ]);
  return { patch, skippedBinary };
}

async function run(box: OpenSandbox, lines: string[]): Promise<string> {
  const result = await box.files.run(["bash", "-c", lines.join("\n")], {
    cwd: "/testbed",
    timeoutMs: 10 * 60_000,
    maxBytes: MAX_PATCH_BYTES,
  });
  if (result.exitCode !== 0 || result.truncated) {
    throw new SweReviewError(
      "candidate_diff_failed",
      result.truncated
        ? `The candidate's diff is larger than ${MAX_PATCH_BYTES} bytes.`
        : `Reading the candidate's diff in the container failed: ${result.stderr.trim().split("\n").slice(-3).join(" ")}`,
    );
  }
  return result.stdout;
}
