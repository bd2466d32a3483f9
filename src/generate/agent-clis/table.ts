import type { AgentCli } from "./agent-cli.js";
import { CLAUDE } from "./claude.js";
import { OPENCODE } from "./opencode.js";
import { QWEN } from "./qwen.js";

/** The ready-made agents `--generator <name>` runs, each described in its own file in this folder. */
export const AGENT_CLIS: Readonly<Record<string, AgentCli>> = Object.freeze({
  claude: CLAUDE,
  opencode: OPENCODE,
  qwen: QWEN,
});
