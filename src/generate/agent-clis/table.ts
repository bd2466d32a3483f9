import type { AgentCli } from "./agent-cli.js";
import { CLAUDE } from "./claude.js";
import { CODEX } from "./codex.js";
import { GEMINI } from "./gemini.js";
import { OPENCODE } from "./opencode.js";
import { QWEN } from "./qwen.js";

/** The ready-made agents `--generator <name>` runs, each described in its own file in this folder. */
export const AGENT_CLIS: Readonly<Record<string, AgentCli>> = Object.freeze({
  claude: CLAUDE,
  codex: CODEX,
  qwen: QWEN,
  opencode: OPENCODE,
  gemini: GEMINI,
});
