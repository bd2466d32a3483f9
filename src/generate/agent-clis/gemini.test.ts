import { describe, expect, it } from "vitest";
import { geminiUsage } from "./gemini.js";

/**
 * Captured from the real Gemini CLI 0.61.0 (`gemini --yolo --output-format json -p "say hi" 2>&1`, no `-m`, against
 * MockGeminiServer): a router call to gemini-3.5-flash-lite (300 prompt tokens, 12 answer tokens), then the main
 * turn on gemini-3.8-flash (900 prompt tokens of which 100 cached, 5 answer tokens, 5 thought tokens). The stderr
 * warnings come first, as in the sandbox's output.
 */
const TWO_MODELS = `Warning: 256-color support not detected. Using a terminal with at least 256-color support is recommended for a better visual experience.
YOLO mode is enabled. All tool calls will be automatically approved.
YOLO mode is enabled. All tool calls will be automatically approved.
Ripgrep is not available. Falling back to GrepTool.
{
  "session_id": "b84840db-da3d-446b-9ada-26be88eb0b7c",
  "response": "MOCK-OK",
  "stats": {
    "models": {
      "gemini-3.5-flash-lite": {
        "api": {
          "totalRequests": 1,
          "totalErrors": 0,
          "totalLatencyMs": 53,
          "errorsByType": {}
        },
        "tokens": {
          "input": 300,
          "prompt": 300,
          "candidates": 12,
          "total": 312,
          "cached": 0,
          "thoughts": 0,
          "tool": 0
        },
        "roles": {
          "utility_router": {
            "totalRequests": 1,
            "totalErrors": 0,
            "totalLatencyMs": 53,
            "tokens": {
              "input": 300,
              "prompt": 300,
              "candidates": 12,
              "total": 312,
              "cached": 0,
              "thoughts": 0,
              "tool": 0
            }
          }
        }
      },
      "gemini-3.8-flash": {
        "api": {
          "totalRequests": 1,
          "totalErrors": 0,
          "totalLatencyMs": 80,
          "errorsByType": {}
        },
        "tokens": {
          "input": 800,
          "prompt": 900,
          "candidates": 5,
          "total": 910,
          "cached": 100,
          "thoughts": 5,
          "tool": 0
        },
        "roles": {
          "main": {
            "totalRequests": 1,
            "totalErrors": 0,
            "totalLatencyMs": 80,
            "tokens": {
              "input": 800,
              "prompt": 900,
              "candidates": 5,
              "total": 910,
              "cached": 100,
              "thoughts": 5,
              "tool": 0
            }
          }
        }
      }
    },
    "tools": {
      "totalCalls": 0,
      "totalSuccess": 0,
      "totalFail": 0,
      "totalDurationMs": 0,
      "totalDecisions": {
        "accept": 0,
        "reject": 0,
        "modify": 0,
        "auto_accept": 0
      },
      "byName": {}
    },
    "files": {
      "totalLinesAdded": 0,
      "totalLinesRemoved": 0
    }
  }
}`;

/** Captured from the real CLI with no auth type in its settings: exit 41, an error object and no stats. */
const AUTH_ERROR = `YOLO mode is enabled. All tool calls will be automatically approved.
{
  "session_id": "765b4100-3753-415d-a581-c75dc4caaa57",
  "error": {
    "type": "Error",
    "message": "Invalid auth method selected.",
    "code": 41
  }
}
`;

describe("geminiUsage", () => {
  it("sums the models of Gemini CLI's JSON stats: input without the cached prompt, output with the thoughts", () => {
    expect(geminiUsage(TWO_MODELS)).toEqual({
      inputTokens: 300 + (900 - 100),
      outputTokens: 12 + 5 + 5,
      cacheReadTokens: 100,
      cacheWriteTokens: null,
      costUsd: null,
    });
  });

  it("reads the same answer from a terminal's CRLF output", () => {
    expect(geminiUsage(TWO_MODELS.replaceAll("\n", "\r\n"))).toEqual(geminiUsage(TWO_MODELS));
  });

  it("counts tool-use prompt tokens as input", () => {
    const output = JSON.stringify(
      {
        stats: { models: { m: { tokens: { prompt: 50, candidates: 7, cached: 10, thoughts: 0, tool: 3 } } } },
      },
      null,
      2,
    );
    expect(geminiUsage(output)).toMatchObject({ inputTokens: 43, outputTokens: 7, cacheReadTokens: 10 });
  });

  it("finds the answer when a stderr line comes after it, and skips a JSON-looking log line before it", () => {
    const output = `{"level":"info"}\n${TWO_MODELS}\nWarning: something late\n`;
    expect(geminiUsage(output)?.inputTokens).toBe(1100);
  });

  it("reports nothing for an error answer (no stats), a run stopped before it answered, or no output", () => {
    expect(geminiUsage(AUTH_ERROR)).toBeUndefined();
    const stopped = TWO_MODELS.slice(0, TWO_MODELS.indexOf("{"));
    expect(stopped).toContain("YOLO mode is enabled.");
    expect(geminiUsage(stopped)).toBeUndefined();
    expect(geminiUsage("")).toBeUndefined();
  });
});
