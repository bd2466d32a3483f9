import { shellQuote } from "../../common/shell-quote.js";
import { defuseMarkers, LOG_MARKERS } from "../grading/harness-log.js";
import { type Infrastructure, infrastructureMatcher } from "../specs/infrastructure.js";
import type { PreparedEnvironment } from "./environment.js";
import { type CheckoutPath, shellWord } from "./git-paths.js";
import { commandLog } from "./patch-order.js";

/** Time limit of one git or rm command. */
const STEP_TIMEOUT_MS = 120_000;

/** git that runs nothing the checkout's config or hooks might name, with paths taken literally. */
const GIT = "git --literal-pathspecs -c core.fsmonitor=false -c core.hooksPath=/dev/null";

export interface RestoreResult {
  ok: boolean;
  /** The commands and what they printed, for the log. */
  log: string;
  /** The paths put back as at the base (or removed), as the verdict records them. */
  restored: string[];
}

/**
 * Undoes what the candidate did to the test infrastructure (`touched`: every path its patch changed, created or
 * deleted): an infrastructure file the base commit has is checked out from it, one the candidate created is
 * removed, and a test-tool module the candidate created (`pytest.py`, `_pytest/`) is removed whole.
 */
export async function restoreInfrastructure(
  env: PreparedEnvironment,
  touched: readonly CheckoutPath[],
  infrastructure: Infrastructure,
  commit: string,
): Promise<RestoreResult> {
  const matcher = infrastructureMatcher(infrastructure);
  const files = touched.filter((path) => matcher.isFile(path.text));
  const modules = unique(
    touched.flatMap((path) => {
      const depth = matcher.toolModuleDepth(path.text);
      return depth === undefined ? [] : [leadingParts(path, depth)];
    }),
  );
  if (files.length === 0 && modules.length === 0) return { ok: true, log: "", restored: [] };

  const atBase = await existAtBase(env, [...files, ...modules], commit);
  if (!atBase.ok) return { ok: false, log: atBase.log, restored: [] };
  const inBase = (path: CheckoutPath) => atBase.exists.has(path.bytes.toString("hex"));
  const checkout = files.filter(inBase);
  // A tool module the base has is the repository's own code (pytest's src/_pytest), not a shadow.
  const remove = unique([
    ...files.filter((path) => !inBase(path)),
    ...modules.filter((path) => !inBase(path)),
  ]);
  const restored = [...checkout, ...remove].map((path) => path.text).sort();
  if (restored.length === 0) return { ok: true, log: "", restored };

  let log = defuseMarkers(
    `[swe-review] test infrastructure the candidate touched, put back as at the base: ${restored.join(", ")}\n`,
  );
  const commands = [
    ...(checkout.length > 0
      ? [`${GIT} checkout ${shellQuote(commit)} -- ${checkout.map(shellWord).join(" ")}`]
      : []),
    ...(remove.length > 0 ? [`rm -rf -- ${remove.map(shellWord).join(" ")}`] : []),
  ];
  for (const command of commands) {
    const result = await env.exec(command, { timeoutMs: STEP_TIMEOUT_MS });
    log += commandLog(command, result.output);
    if (result.exitCode !== 0) return { ok: false, log: `${log}${LOG_MARKERS.resetFailed}\n`, restored };
  }
  return { ok: true, log, restored };
}

/** Which of `paths` the base commit has (as a file or a folder), by their bytes in hex. */
async function existAtBase(
  env: PreparedEnvironment,
  paths: readonly CheckoutPath[],
  commit: string,
): Promise<{ ok: boolean; exists: Set<string>; log: string }> {
  const command =
    `for p in ${paths.map(shellWord).join(" ")}; do ` +
    `if ${GIT} cat-file -e ${shellQuote(commit)}:"$p" 2>/dev/null; then printf 1; else printf 0; fi; done`;
  const result = await env.exec(command, { timeoutMs: STEP_TIMEOUT_MS });
  const answers = result.output.trim();
  if (result.exitCode !== 0 || answers.length !== paths.length || !/^[01]*$/.test(answers)) {
    return {
      ok: false,
      exists: new Set(),
      log: `${commandLog(command, result.output)}${LOG_MARKERS.resetFailed}\n`,
    };
  }
  const exists = new Set(
    paths.filter((_, i) => answers[i] === "1").map((path) => path.bytes.toString("hex")),
  );
  return { ok: true, exists, log: "" };
}

/** The first `depth` parts of a path (`src/pytest/x.py`, 2 → `src/pytest`), bytes and text alike. */
function leadingParts(path: CheckoutPath, depth: number): CheckoutPath {
  let end = -1;
  for (let part = 0; part < depth; part++) {
    const slash = path.bytes.indexOf(0x2f, end + 1);
    end = slash === -1 ? path.bytes.length : slash;
  }
  const bytes = Buffer.from(path.bytes.subarray(0, end));
  return { text: bytes.toString("utf8"), bytes };
}

function unique(paths: readonly CheckoutPath[]): CheckoutPath[] {
  const byKey = new Map(paths.map((path) => [path.bytes.toString("hex"), path]));
  return [...byKey.values()];
}
