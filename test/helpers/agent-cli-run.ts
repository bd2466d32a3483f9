import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { resolveAgentCli } from "../../src/generate/agent-clis/resolve.js";

/** Every file under a folder (what swe-review wrote for a run), recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Whether an agent CLI is found with a test's environment (a developer's global install would be). */
export function agentCliFound(name: string, env: NodeJS.ProcessEnv): boolean {
  try {
    resolveAgentCli(name, { env, ...(env.HOME ? { home: env.HOME } : {}) });
    return true;
  } catch {
    return false;
  }
}
