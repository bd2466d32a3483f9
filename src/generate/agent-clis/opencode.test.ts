import { describe, expect, it } from "vitest";
import { opencodeUsage } from "./opencode.js";

/**
 * `opencode run --pure --format json` 1.18.33, as printed for a one-tool run against a chat-completions mock that
 * answered each of the two main requests with prompt_tokens 11 (3 cached) and completion_tokens 5.
 */
const CAPTURED = String.raw`{"type":"step_start","timestamp":1796315374970,"sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","part":{"id":"prt_23cbd64dc001phM7lQuctSMM3L","messageID":"msg_23cbd4dbd0018iRwlFzwrTb7Vj","sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","snapshot":"83dc82752fffe5ccaea0c35c08f9886c49d63b7f","type":"step-start"}}
{"type":"tool_use","timestamp":1796315376030,"sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","part":{"type":"tool","tool":"bash","callID":"call_5","state":{"status":"completed","input":{"command":"echo hello-from-mock > out.txt && id -u","description":"write file","is_background":false},"output":"0\n","metadata":{"output":"0\n","exit":0,"truncated":false},"title":"echo hello-from-mock > out.txt && id -u","time":{"start":1796315374927,"end":1796315375990}},"id":"prt_23cbd651b001GVyNuvZihvGD5P","sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","messageID":"msg_23cbd4dbd0018iRwlFzwrTb7Vj"}}
{"type":"step_finish","timestamp":1796315376840,"sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","part":{"id":"prt_23cbd6c55001ejk71OqBxZjCU0","reason":"tool-calls","snapshot":"83dc82752fffe5ccaea0c35c08f9886c49d63b7f","messageID":"msg_23cbd4dbd0018iRwlFzwrTb7Vj","sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","type":"step-finish","tokens":{"total":16,"input":8,"output":5,"reasoning":0,"cache":{"write":0,"read":3}},"cost":0}}
{"type":"step_start","timestamp":1796315377701,"sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","part":{"id":"prt_23cbd6fd6001bEx3H6Fz99zGil","messageID":"msg_23cbd6dc4001ERqLu237rExumR","sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","snapshot":"83dc82752fffe5ccaea0c35c08f9886c49d63b7f","type":"step-start"}}
{"type":"text","timestamp":1796315377701,"sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","part":{"id":"prt_23cbd6fdf001JD9mq3wirthOMx","messageID":"msg_23cbd6dc4001ERqLu237rExumR","sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","type":"text","text":"MOCK-OK","time":{"start":1796315377631,"end":1796315377660}}}
{"type":"step_finish","timestamp":1796315378020,"sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","part":{"id":"prt_23cbd714f001WJxqDz1yoZn6i3","reason":"stop","snapshot":"83dc82752fffe5ccaea0c35c08f9886c49d63b7f","messageID":"msg_23cbd6dc4001ERqLu237rExumR","sessionID":"ses_dc342bd97ffesaOXAzTPlPvIyL","type":"step-finish","tokens":{"total":16,"input":8,"output":5,"reasoning":0,"cache":{"write":0,"read":3}},"cost":0}}`;

describe("opencodeUsage", () => {
  it("sums the steps' tokens (input without the cached prompt); no cost or cache writes, which it cannot know", () => {
    expect(opencodeUsage(`${CAPTURED}\n`)).toEqual({
      inputTokens: 16,
      outputTokens: 10,
      cacheReadTokens: 6,
      cacheWriteTokens: null,
      costUsd: null,
    });
  });

  it("counts reasoning as output, skips log lines, and says null for figures no step reports", () => {
    const step = (tokens: Record<string, unknown>) =>
      JSON.stringify({ type: "step_finish", part: { tokens } });
    const output = [
      "INFO  some log line",
      step({ input: 100, output: 7, reasoning: 3 }),
      step({ input: 50, output: 2 }),
    ].join("\n");
    expect(opencodeUsage(output)).toEqual({
      inputTokens: 150,
      outputTokens: 12,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      costUsd: null,
    });
  });

  it("is undefined when no step finished (killed, or an error before the first answer)", () => {
    expect(opencodeUsage("")).toBeUndefined();
    expect(opencodeUsage('{"type":"error","error":{"name":"APIError"}}\n')).toBeUndefined();
  });
});
