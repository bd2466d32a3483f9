/**
 * The swe-review library: what a program builds on, grouped by what it builds. Each name here is public API; what is
 * not named here is internal and may change without notice. Test helpers (the scripted model, the mock model
 * servers, replaying a trajectory) are in `swe-review/testing`.
 */

// Review: one patch reviewed by the reviewer agent (or a single-turn baseline), its report and verdict.

export type { RepoRef } from "./github/repo-ref.js";
export type { ReviewEvent } from "./github/review-event.js";
export {
  type PullRequestReview,
  type PullRequestReviewRequest,
  reviewPullRequest,
} from "./github/review-pull-request.js";
export { REPORT_SOURCES, type ReviewOutcome, ReviewOutcomeSchema } from "./review/outcome.js";
export {
  formatSeconds,
  formatTokens,
  type ReviewFacts,
  renderFeedback,
  renderMarkdown,
  reportFacts,
} from "./review/render.js";
export {
  CATEGORIES,
  type Defect,
  DefectSchema,
  normalizeRecommendation,
  type ParsedReport,
  parseReviewReport,
  RECOMMENDATIONS,
  REVIEW_REPORT_JSON_SCHEMA,
  type Recommendation,
  RecommendationSchema,
  type ReviewReport,
  ReviewReportSchema,
  SEVERITIES,
} from "./review/report.js";
export { type ReportFile, ReportFileReadSchema, ReportFileSchema } from "./review/report-file.js";
export {
  REVIEW_MODES,
  type ReviewEnvironment,
  type ReviewMode,
  type ReviewRequest,
  type ReviewResult,
  runReview,
} from "./review/run-review.js";

// Generate: a patch (or a revision from feedback) by our agent or an external coding agent.

export { type UsageReport, UsageReportSchema } from "./generate/agent-clis/agent-cli.js";
export type {
  GenerationEnvironment,
  GenerationRequest,
  GenerationResult,
  Generator,
  GeneratorOutcome,
} from "./generate/generation.js";
export type { IssueFacts } from "./generate/instruction.js";
export { runGeneration } from "./generate/run-generation.js";
export {
  type UsageReportRecord,
  UsageReportRecordSchema,
  usageReportRecord,
} from "./generate/usage-report-record.js";

// Loop: generate, review, revise until approved, by a strategy.

export { LoopRecordReadSchema } from "./loop/legacy-record.js";
export {
  type GeneratorUsage,
  type LoopRecord,
  LoopRecordSchema,
  type SampleRecord,
  SampleRecordSchema,
  STRATEGIES,
  type Strategy,
  StrategySchema,
} from "./loop/records.js";
export { type LoopEnvironment, type LoopRequest, readLoopRecord, runLoop } from "./loop/run-loop.js";
export {
  approvalScore,
  bestOfN,
  type Fallback,
  gated,
  iterative,
  type LoopCandidate,
  type LoopSteps,
  type NoVerdictPolicy,
  type StrategyResult,
} from "./loop/strategies.js";

// Agents: the agent loop any role runs on.

export { type Budget, type BudgetInput, BudgetSchema, type LimitStatus } from "./agent/budget.js";
export { ContextGuard, type ContextGuardOptions, type ContextVerdict } from "./agent/context-guard.js";
export { type Role, type RoleContext, type RunRoleOptions, runRole } from "./agent/role.js";
export { type AgentRun, type RunAgentInput, runAgent, type StepProgress } from "./agent/run-agent.js";
export type { TokenCounter } from "./model/tokens/counter.js";

// Bench and score: datasets, run directories, metrics and the HTML report.

export { renderReport } from "./bench/report/render-report.js";
export type { DefectLocation, ScoreItem } from "./bench/score/item.js";
export {
  buildScoreSummary,
  type ScoreSource,
  type ScoreSummary,
  type SectionFigures,
  type SummaryOptions,
} from "./bench/score/summary.js";
export {
  type ScoredBench,
  type ScoreReviewsOptions,
  type ScoreRunDirOptions,
  scoreReviewsFile,
  scoreRunDir,
} from "./bench/score-bench.js";
export { type ScoreFiles, writeRunScore, writeScoreFiles } from "./bench/write-run-score.js";
export {
  type Candidate,
  CandidateSchema,
  candidateFromPrediction,
  type Prediction,
  PredictionSchema,
} from "./data/candidate.js";
export { type Instance, InstanceSchema } from "./data/instance.js";
export { findInstance, loadCandidates, loadInstances } from "./data/load.js";
export { loadSweReviewBench, type ReviewBench, type ReviewBenchEntry } from "./data/swe-review-bench.js";

// Harness: run a candidate's tests and grade them (FAIL_TO_PASS / PASS_TO_PASS → resolved).

export { harnessEnvironmentFrom } from "./assembly/verifier.js";
export {
  type VerifyBatchOptions,
  type VerifyProgress,
  type VerifySummary,
  verifyBatch,
} from "./harness/batch/verify-batch.js";
export { type GradedTests, gradeLog, gradeTestRun, type TestRun } from "./harness/grading/grade.js";
export { type GradeResult, GradeResultSchema, type Resolution } from "./harness/grading/grade-result.js";
export type { LogOutcome } from "./harness/grading/harness-log.js";
export type { IntegrityFlag } from "./harness/grading/integrity.js";
export type { ParserName } from "./harness/parsers/registry.js";
export type { TestStatus } from "./harness/parsers/status.js";
export {
  ContainerEnvironment,
  type ContainerEnvironmentOptions,
} from "./harness/run/container-environment.js";
export type {
  Environment as HarnessEnvironment,
  PreparedEnvironment,
  PrepareRequest,
} from "./harness/run/environment.js";
export { SandboxEnvironment, type SandboxEnvironmentOptions } from "./harness/run/sandbox-environment.js";
export {
  type VerifiedCandidate,
  type VerifyCandidateOptions,
  verifyCandidate,
} from "./harness/run/verify-candidate.js";
export { type VerifyResult, VerifyResultSchema } from "./harness/run/verify-result.js";
export { testSpecFor, type VerifyWithSpecOptions, verifyWithSpec } from "./harness/run/verify-with-spec.js";
export { type PlanOptions, planTestRun, type TestRunPlan } from "./harness/specs/plan.js";
export { findTestSpec, type SpecKey } from "./harness/specs/resolve.js";
export { type TestSpec, type TestSpecInput, TestSpecSchema } from "./harness/specs/test-spec.js";

// Trajectories and export: the recorded runs, and training data made from them.

export {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptions,
  type ExportResult,
  exportTrajectories,
} from "./training-data/export/export.js";
export type { SampleFilters } from "./training-data/export/filters.js";
export type { ExportStats } from "./training-data/export/stats.js";
export { toAtif } from "./trajectory/formats/atif-export.js";
export {
  type OpenAiMessage,
  type OpenAiTool,
  toOpenAiMessages,
  toOpenAiTools,
} from "./trajectory/formats/openai-chat.js";
export { parseTrajectory, type ReadTrajectory, readTrajectory } from "./trajectory/reader.js";
export { type RebuiltRequest, rebuildConversation, rebuildRequests } from "./trajectory/rebuild.js";
export {
  AGENT_STATUSES,
  type AgentStatus,
  TRAJECTORY_FORMAT,
  TRAJECTORY_VERSION,
  type TrajectoryEvent,
  TrajectoryEventSchema,
} from "./trajectory/schema.js";
export { MemoryTrajectory, type TrajectorySink, TrajectoryWriter } from "./trajectory/writer.js";
export { writeViewerPage } from "./web/viewer/write-view.js";

// Models: one chat turn in, one assistant turn out; providers and the request they send.

export { AnthropicModel, type AnthropicModelOptions } from "./model/anthropic/provider.js";
export type { AnthropicSettings } from "./model/anthropic/request.js";
export { createModel } from "./model/create.js";
export { OpenAICompatibleModel, type OpenAICompatibleModelOptions } from "./model/openai/provider.js";
export { buildChatRequestBody, type ChatRequestBody, type OpenAISettings } from "./model/openai/request.js";
export type { ProviderOptions } from "./model/provider-calls.js";
export {
  type AssistantTurn,
  addUsage,
  type Message,
  type Model,
  type ModelDescriptor,
  type ModelRequest,
  type RequestOptions,
  type ServedModel,
  type ToolCall,
  type ToolSpec,
  totalTokens,
  type Usage,
  ZERO_USAGE,
} from "./model/types.js";
export { type UsageRecord, UsageRecordSchema, usageOf, usageRecord } from "./model/usage-record.js";

// Tools and toolsets: what an agent can call.

export { type OpenHandsToolsetOptions, openHandsToolset } from "./tools/openhands/toolset.js";
export { defineTool, type Tool, type ToolContext, type ToolResult, toolSpec } from "./tools/tool.js";

// Workspaces and sandboxes: a checkout at the base commit, and where commands run.

export type { WorkspaceSetupSettings } from "./agent-place/agent-setup.js";
export { repoCacheFrom, sandboxOptionsFrom, workspaceRootFrom } from "./assembly/workspace-options.js";
export type { AgentFile } from "./workspace/agent-file.js";
export { type Mirror, RepoCache } from "./workspace/repo-cache.js";
export {
  parseRepoOverrides,
  type RepoOverrides,
  type RepoSource,
  resolveRepoSource,
} from "./workspace/repo-source.js";
export type { ReadOnlyMount } from "./workspace/sandbox/bwrap-mounts.js";
export type { SandboxFiles } from "./workspace/sandbox/files.js";
export {
  type CollectOptions,
  type ContainerEngineOptions,
  type OpenSandbox,
  type OpenSandboxOptions,
  openSandbox,
  type SandboxKind,
} from "./workspace/sandbox/open.js";
export type { Sandbox, SandboxLimits, SandboxPaths } from "./workspace/sandbox/sandbox.js";
export { PersistentShell, type ShellRunResult, type ShellWait } from "./workspace/sandbox/shell.js";
export { SetupCache } from "./workspace/setup/setup-cache.js";
export { Workspace, type WorkspaceOptions } from "./workspace/workspace.js";

// Configuration: layered defaults < user file < repository file < environment < flags.

export { type Clock, ManualClock, systemClock } from "./common/clock.js";
export { createLogger, type Logger, silentLogger } from "./common/logger.js";
export {
  type ConfigLayerSource,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
} from "./config/load.js";
export type { Preset } from "./config/presets.js";
export { type ConfiguredModel, requireModel } from "./config/require-model.js";
export { type ResolvedModel, resolveModel } from "./config/resolve-model.js";
export {
  type Config,
  type ConfigLayer,
  ConfigSchema,
  DEFAULT_CONFIG,
  type ModelConfig,
  type Pricing,
  type TestConfig,
} from "./config/schema.js";

// MCP: the review tools served to MCP clients.

export { InFlight } from "./mcp/in-flight.js";
export { createMcpServer } from "./mcp/server.js";
export type { CallEnvironment, McpServices } from "./mcp/services.js";
export { type StdioOptions, serveStdio } from "./mcp/stdio.js";

// Errors: one family, each with a `code`.

export { errorMessage, InputError, SweReviewError } from "./common/errors.js";
export {
  AbortedError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ContextLengthError,
  MalformedResponseError,
  ModelError,
  ModelNotFoundError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  UnreachableError,
} from "./model/errors.js";
export { SetupError } from "./workspace/setup/setup-error.js";

// The package's version.

export { VERSION } from "./version.js";
