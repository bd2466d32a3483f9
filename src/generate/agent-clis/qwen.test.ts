import { describe, expect, it } from "vitest";
import { qwenUsage } from "./qwen.js";

/**
 * `qwen --yolo --output-format json` 0.15.10, as printed for a one-tool run against a chat-completions mock that
 * answered each of the two requests with prompt_tokens 11 (3 cached) and completion_tokens 5.
 */
const CAPTURED = `[{"type":"system","subtype":"init","uuid":"8051c8a8-87fe-4c88-995e-a3d9abfe0881","session_id":"8051c8a8-87fe-4c88-995e-a3d9abfe0881","cwd":"/tmp/clis/ws/qwen","tools":["tool_search","agent","task_stop","send_message","skill","list_directory","read_file","grep_search","glob","edit","write_file","run_shell_command","todo_write","ask_user_question","exit_plan_mode","web_fetch","monitor"],"mcp_servers":[],"model":"qwen-mock","permission_mode":"yolo","slash_commands":["batch","bug","clear","compress","context","diff","docs","doctor","export","init","insight","language","model","qc-helper","review","stats","status","summary","tasks"],"qwen_code_version":"0.15.10","agents":["general-purpose","Explore","statusline-setup"]},{"type":"assistant","uuid":"f3498ef1-d449-4ca2-9070-3befd1e7e35d","session_id":"8051c8a8-87fe-4c88-995e-a3d9abfe0881","parent_tool_use_id":null,"message":{"id":"f3498ef1-d449-4ca2-9070-3befd1e7e35d","type":"message","role":"assistant","model":"qwen-mock","content":[{"type":"tool_use","id":"call_1","name":"run_shell_command","input":{"command":"echo hello-from-mock > out.txt && id -u","description":"write file","is_background":false}}],"stop_reason":"tool_use","usage":{"input_tokens":11,"output_tokens":5,"cache_read_input_tokens":3,"total_tokens":16}}},{"type":"user","uuid":"6c0005bf-d673-4262-9a5b-ced693a120ef","session_id":"8051c8a8-87fe-4c88-995e-a3d9abfe0881","parent_tool_use_id":null,"message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","is_error":false,"content":"0"}]}},{"type":"assistant","uuid":"b6d07905-9a36-457e-9ff2-910d37567c87","session_id":"8051c8a8-87fe-4c88-995e-a3d9abfe0881","parent_tool_use_id":null,"message":{"id":"b6d07905-9a36-457e-9ff2-910d37567c87","type":"message","role":"assistant","model":"qwen-mock","content":[{"type":"text","text":"MOCK-OK"}],"stop_reason":null,"usage":{"input_tokens":11,"output_tokens":5,"cache_read_input_tokens":3,"total_tokens":16}}},{"type":"result","subtype":"success","uuid":"9b9bc214-0bf2-4bc6-a8fd-69d9a0c36b6b","session_id":"8051c8a8-87fe-4c88-995e-a3d9abfe0881","is_error":false,"duration_ms":8008,"duration_api_ms":708,"num_turns":2,"result":"MOCK-OK","usage":{"input_tokens":22,"output_tokens":10,"cache_read_input_tokens":6,"total_tokens":32},"permission_denials":[],"stats":{"models":{"qwen-mock":{"api":{"totalRequests":2,"totalErrors":0,"totalLatencyMs":134},"tokens":{"prompt":22,"candidates":10,"total":32,"cached":6,"thoughts":0},"bySource":{"main":{"api":{"totalRequests":2,"totalErrors":0,"totalLatencyMs":134},"tokens":{"prompt":22,"candidates":10,"total":32,"cached":6,"thoughts":0}}}}},"tools":{"totalCalls":1,"totalSuccess":1,"totalFail":0,"totalDurationMs":5703,"totalDecisions":{"accept":0,"reject":0,"modify":0,"auto_accept":1},"byName":{"run_shell_command":{"count":1,"success":1,"fail":0,"durationMs":5703,"decisions":{"accept":0,"reject":0,"modify":0,"auto_accept":1}}}},"files":{"totalLinesAdded":0,"totalLinesRemoved":0}}}]`;

describe("qwenUsage", () => {
  it("reads the result's summed usage, counting the cached prompt apart; no cost, no cache writes", () => {
    expect(qwenUsage(`${CAPTURED}\n`)).toEqual({
      inputTokens: 16,
      outputTokens: 10,
      cacheReadTokens: 6,
      cacheWriteTokens: null,
      costUsd: null,
    });
  });

  it("finds the result line among log lines, and says null for figures it lacks", () => {
    const result = JSON.stringify([{ type: "result", usage: { input_tokens: 40, output_tokens: 3 } }]);
    expect(qwenUsage(`Loaded cached credentials.\n${result}\n`)).toEqual({
      inputTokens: 40,
      outputTokens: 3,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      costUsd: null,
    });
    expect(qwenUsage(JSON.stringify([{ type: "result" }]))?.inputTokens).toBeNull();
  });

  it("is undefined when no result was printed (killed, or a fatal error)", () => {
    expect(qwenUsage("")).toBeUndefined();
    expect(
      qwenUsage('{"error":{"type":"FatalCancellationError","message":"Operation cancelled.","code":130}}\n'),
    ).toBeUndefined();
  });
});
