import { describe, expect, it } from "vitest";
import { EXTERNAL_AGENT_EXAMPLES, parseGeneratorSpec, renderCommandTemplate } from "../external-command.js";
import { CODEX, codexUsage } from "./codex.js";
import { AGENT_CLIS } from "./table.js";

/** `codex exec --json` 0.171.0's stdout for a run with one exec_command call (two requests), as printed. */
const TOOL_RUN = `{"type":"thread.started","thread_id":"01a23c75-0816-7092-a3c3-30d2bfaef816"}
{"type":"item.completed","item":{"id":"item_0","type":"error","message":"Model metadata for \`gpt-mock\` not found. Defaulting to fallback metadata; this can degrade performance and cause issues."}}
{"type":"turn.started"}
{"type":"item.started","item":{"id":"item_1","type":"command_execution","command":"/bin/bash -lc 'echo hello-from-mock > out.txt && id -u'","aggregated_output":"","exit_code":null,"status":"in_progress"}}
{"type":"item.completed","item":{"id":"item_1","type":"command_execution","command":"/bin/bash -lc 'echo hello-from-mock > out.txt && id -u'","aggregated_output":"0\\n","exit_code":0,"status":"completed"}}
{"type":"item.completed","item":{"id":"item_2","type":"agent_message","text":"MOCK-OK"}}
{"type":"turn.completed","usage":{"input_tokens":22,"cached_input_tokens":6,"cache_write_input_tokens":0,"output_tokens":10,"reasoning_output_tokens":4}}
`;

/** Its output when the provider's key variable is missing: no turn completes. */
const NO_KEY = `{"type":"thread.started","thread_id":"01a23c70-1111-7000-8000-000000000000"}
{"type":"turn.started"}
{"type":"error","message":"Missing environment variable: \`OPENAI_API_KEY\`."}
{"type":"turn.failed","error":{"message":"Missing environment variable: \`OPENAI_API_KEY\`."}}
`;

describe("Codex as a ready-made agent", () => {
  it("reads usage from turn.completed: input without cached or cache-written tokens, no cost", () => {
    expect(codexUsage(`Reading prompt from stdin...\n${TOOL_RUN}`)).toEqual({
      inputTokens: 16,
      outputTokens: 10,
      cacheReadTokens: 6,
      cacheWriteTokens: 0,
      costUsd: null,
    });
    const written = TOOL_RUN.replace('"cache_write_input_tokens":0', '"cache_write_input_tokens":5');
    expect(codexUsage(written)?.inputTokens).toBe(11);
  });

  it("sums the turns, keeps a figure Codex did not report null, and reports nothing when no turn completed", () => {
    const older = JSON.stringify({ type: "turn.completed", usage: { input_tokens: 100, output_tokens: 3 } });
    expect(codexUsage(`${older}\n${older}\n`)).toEqual({
      inputTokens: 200,
      outputTokens: 6,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      costUsd: null,
    });
    expect(codexUsage(NO_KEY)).toBeUndefined();
    expect(codexUsage("error: unexpected argument '--full-auto' found\n")).toBeUndefined();
  });

  it("is `--generator codex`: codex exec with its sandbox off, the prompt on stdin, model and base URL from the environment", () => {
    expect(AGENT_CLIS.codex).toBe(CODEX);
    expect(parseGeneratorSpec("codex")).toEqual({ kind: "agent-cli", name: "codex" });
    expect(EXTERNAL_AGENT_EXAMPLES.codex).toBeUndefined();
    // The model comes from CODEX_MODEL, not --model (which names swe-review's own model, the reviewer's in `loop`).
    const command = renderCommandTemplate(
      CODEX.template("/opt/npm/lib/node_modules/@openai/codex/bin/codex.js"),
      {
        instructionFile: "/tmp/task.md",
        workdir: "/testbed",
      },
    );
    expect(command).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell expansions, expanded in the sandbox
      'mkdir -p /tmp/agent-tmp && /opt/npm/lib/node_modules/@openai/codex/bin/codex.js exec --json --dangerously-bypass-approvals-and-sandbox ${CODEX_MODEL:+-m "$CODEX_MODEL"} ${OPENAI_API_KEY:+-c model_provider=swe-review} -c "model_providers.swe-review.base_url=\\"${OPENAI_BASE_URL:-https://api.openai.com/v1}\\"" - < /tmp/task.md',
    );
    expect(CODEX.optionalEnv).toEqual(["OPENAI_BASE_URL", "CODEX_MODEL"]);
    // Its settings file holds no secret and no host's address: the key is read from OPENAI_API_KEY.
    const config = CODEX.homeFiles?.[".codex/config.toml"] ?? "";
    expect(config).toContain('env_key = "OPENAI_API_KEY"');
    expect(config).toContain('wire_api = "responses"');
    expect(config).not.toMatch(/127\.0\.0\.1|localhost|sk-/);
    expect(CODEX.env).toEqual({ HOME: "/tmp/agent-home", TMPDIR: "/tmp/agent-tmp" });
    expect(CODEX.loginFiles).toEqual([".codex/auth.json"]);
  });
});
