/**
 * Test helpers for programs built on swe-review (`swe-review/testing`): a model that plays a script, and mock model
 * servers that play one over HTTP (OpenAI chat completions with streaming, OpenAI Responses, Anthropic Messages,
 * Gemini), so an agent, a review or a loop runs without a GPU or an API key.
 */

export { ManualClock } from "../common/clock.js";
export {
  type MockAnthropicOptions,
  MockAnthropicServer,
  startMockAnthropicServer,
} from "../model/mock-server/anthropic-server.js";
export type { ToolCallMode } from "../model/mock-server/completion.js";
export {
  type MockGeminiOptions,
  MockGeminiServer,
  startMockGeminiServer,
} from "../model/mock-server/gemini-server.js";
export type { MockHttpServer, MockResponder, RecordedRequest } from "../model/mock-server/http.js";
export {
  type MockResponsesOptions,
  MockResponsesServer,
  startMockResponsesServer,
} from "../model/mock-server/responses-server.js";
export { MockOpenAIServer, type MockServerOptions, startMockServer } from "../model/mock-server/server.js";
export {
  isFault,
  type ScriptEntry,
  ScriptEntrySchema,
  type ScriptFault,
  ScriptFaultSchema,
  type ScriptToolCall,
  ScriptToolCallSchema,
  type ScriptTurn,
  ScriptTurnSchema,
} from "../model/scripted/script.js";
export { ScriptedModel, type ScriptedReply } from "../model/scripted/scripted-model.js";
export { loadScriptFile, scriptFromTrajectory } from "../trajectory/replay.js";
