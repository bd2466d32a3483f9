import { z } from "zod";

/**
 * The configuration. Fields are declared once here without defaults; `DEFAULT_CONFIG` is the lowest layer and
 * `ConfigLayerSchema` (every field optional, unknown keys rejected) validates each file, env and flag layer.
 */

/** Prices in US dollars per million tokens. */
export const PricingSchema = z
  .object({
    input: z.number().nonnegative(),
    cachedInput: z.number().nonnegative().optional(),
    /** Prompt tokens written to a provider's cache (Anthropic charges 1.25× input); input price when absent. */
    cacheWrite: z.number().nonnegative().optional(),
    output: z.number().nonnegative(),
  })
  .strict();
/**
 * A model's prices in US dollars per million tokens; cached input and cache writes cost the input price when
 * absent.
 */
export type Pricing = z.infer<typeof PricingSchema>;

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export const LogLevelSchema = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevelSchema>;

export const ModelConfigSchema = z
  .object({
    /** Model name as the server knows it (vLLM's `--served-model-name`, an API model id). */
    name: z.string().min(1).optional(),
    /** A preset from `swe-review models` (otherwise chosen by the model name). */
    preset: z.string().min(1).optional(),
    /** `openai`: any OpenAI-compatible server or API; `anthropic`: the Messages API. Default: from the preset. */
    provider: z.enum(["openai", "anthropic"]).optional(),
    /** Base URL: OpenAI-compatible ones end in `/v1` (vLLM, SGLang, llama.cpp server, Ollama, OpenAI). */
    baseUrl: z.url().optional(),
    apiKey: z.string().optional(),
    /** Per-request timeout. */
    timeoutSeconds: z.number().positive(),
    /** Retries on 429, 5xx, connection resets and timeouts (a server refusing connections gets 2 at most). */
    maxRetries: z.number().int().min(0),
    temperature: z.number().min(0).max(2).optional(),
    /** Completion token limit per request (`max_tokens`). */
    maxTokens: z.number().int().positive().optional(),
    /**
     * Send earlier turns' reasoning back as `reasoning_content` (Qwen3 and GLM chat templates read it). Default:
     * from the preset; true for models without one.
     */
    reasoningRoundTrip: z.boolean().optional(),
    /** `native`: the server parses tool calls; `text`: for servers without a tool parser. Default: the preset's. */
    toolCalls: z.enum(["native", "text"]).optional(),
    /** The text format of calls: `hermes` (Qwen3, SWE-Review) or `qwen3_coder`. Default: the preset's. */
    toolCallFormat: z.enum(["hermes", "qwen3_coder"]).optional(),
    /** The model's context window in tokens (vLLM --max-model-len). Default: the preset's. */
    contextLength: z.number().int().positive().optional(),
    /** A `tokenizer.json` to count tokens exactly (else looked up in the Hugging Face cache, else estimated). */
    tokenizer: z.string().min(1).optional(),
    /** Stream answers (Anthropic). */
    stream: z.boolean().optional(),
    /** Anthropic extended thinking: the token budget for thinking (off when unset). */
    thinkingBudget: z.number().int().min(1024).optional(),
    /** Anthropic prompt caching of the stable prefix (default on). */
    promptCaching: z.boolean().optional(),
    /** Overrides the built-in price table for this model. */
    pricing: PricingSchema.optional(),
  })
  .strict();

/** The agent's step limit when neither the configuration nor the caller sets one. */
export const DEFAULT_MAX_STEPS = 100;

export const AgentConfigSchema = z
  .object({
    maxSteps: z.number().int().positive(),
    maxTotalTokens: z.number().int().positive().optional(),
    wallTimeSeconds: z.number().positive().optional(),
    maxCostUsd: z.number().positive().optional(),
  })
  .strict();

export const LogConfigSchema = z.object({ level: LogLevelSchema }).strict();

export const WorkspaceConfigSchema = z
  .object({
    /** Cached bare mirrors (default ~/.cache/swe-review/repos). */
    cacheDir: z.string().optional(),
    /** Where checkouts are made (default: the system temp folder, or /dev/shm with tmpfs). */
    root: z.string().optional(),
    /** Put checkouts on tmpfs (/dev/shm): several times faster on large repositories. */
    tmpfs: z.boolean(),
    /** Keep workspaces after the run (for debugging). */
    keep: z.boolean(),
  })
  .strict();

/** The container backend (`sandbox.kind: docker`). */
export const DockerConfigSchema = z
  .object({
    /**
     * The image name pattern for dataset instances whose row names none (e.g. a private mirror of SWE-bench's:
     * `registry.example.com/sweb.eval.{arch}.{id}:latest`). Placeholders: `{id}`, `{instance_id}`, `{org}`, `{repo}`,
     * `{number}`, `{arch}`. Default: SWE-bench's (`swebench/sweb.eval.x86_64.{id}:latest`), Multi-SWE-bench's.
     */
    imageTemplate: z.string().min(1).optional(),
    /** An image for every item (a project's CI or devcontainer image, for `review --repo`). */
    image: z.string().min(1).optional(),
    /** Pull missing images (false: a missing image is an error naming it). */
    pull: z.boolean().optional(),
    /** Remove each instance image once its item is done (saves disk on a big run; SWE-bench's "cache level"). */
    removeImages: z.boolean().optional(),
    /** The longest a container lives, whatever happens to swe-review (minutes; default 360). */
    wallMinutes: z.number().int().positive().optional(),
  })
  .strict();
export type DockerConfig = z.infer<typeof DockerConfigSchema>;

export const SandboxConfigSchema = z
  .object({
    /**
     * `bwrap` (bubblewrap isolation), `docker` (containers of SWE-bench's or the given images, through the Docker
     * Engine API: Docker or Podman), or `local` (no isolation; only when asked for).
     */
    kind: z.enum(["bwrap", "local", "docker"]),
    /** Most processes an agent may have at once. */
    pidsMax: z.number().int().positive(),
    memoryMb: z.number().int().positive(),
    /** Size of the sandbox's /tmp (a tmpfs), MiB. */
    tmpMb: z.number().int().positive(),
    /** How much an agent may add to its workspace on disk (and the largest file it may write), MiB. */
    diskMb: z.number().int().positive(),
    /** Extra host folders visible read-only inside the sandbox (toolchains outside /usr and /opt). */
    readOnly: z.array(z.string()),
    /** CPUs an agent's container may use (e.g. 2 or 1.5; `docker` only). */
    cpus: z.number().positive().optional(),
    docker: DockerConfigSchema.default({}),
  })
  .strict();

export const ToolsConfigSchema = z
  .object({
    /** Advertise `security_risk` in tool schemas (as the OpenHands SDK did at inference; the training data did not). */
    securityRisk: z.boolean(),
    /** Seconds without output after which the terminal returns control (OpenHands: 30). */
    softTimeoutSeconds: z.number().positive(),
  })
  .strict();

/**
 * How to run a repository's tests (`test:` in `.swe-review.yaml`). Without `repo` it describes the repository the
 * file is in, for instances of repositories swe-review has no built-in spec for; with `repo` it replaces the
 * built-in spec of that repository. The parser name is checked against the harness's parsers when the spec is used.
 */
export const TestConfigSchema = z
  .object({
    repo: z
      .string()
      .regex(/^[^/\s]+\/[^/\s]+$/, "expected owner/name")
      .optional(),
    /** Shell command run in the checkout; `{test_files}` becomes the test files of the test patch, `{python}` the interpreter. */
    command: z.string().min(1),
    /** Log parser: pytest, pytest-short-paths, pytest-matplotlib, sympy, django, jest, mocha, tap, vitest. */
    parser: z.string().min(1),
    /** Command(s) run once in a fresh checkout before the patches, e.g. `npm ci`. */
    setup: z.union([z.string(), z.array(z.string())]).optional(),
    env: z.record(z.string(), z.string()).optional(),
    /** Interpreter for `{python}` (default /usr/bin/python3). */
    python: z.string().min(1).optional(),
    /**
     * Test infrastructure beyond the framework's: `files` (paths, `*` and `**` globs) restored from the base and
     * `toolModules` (Python module names) removed when a candidate creates them, before the tests run.
     */
    infrastructure: z
      .object({
        files: z.array(z.string().min(1)).optional(),
        toolModules: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * How an agent's workspace is prepared before the agent starts (`setup:`): the repository's dependencies
 * installed, with the network on, in the sandbox; the agent then works without network.
 */
export const SetupConfigSchema = z
  .object({
    /** false: agents start in the bare checkout (`--no-setup`). */
    enabled: z.boolean(),
    /**
     * Command(s) run in the checkout, e.g. `npm ci`. Absent: the repository's own: the `setup:` of its committed
     * `.swe-review.yaml`, else the setup of its test spec (`test.setup`, or the built-in one), else what its
     * lockfiles say (`package-lock.json` → `npm ci`, `requirements*.txt` / `pyproject.toml` → a virtualenv).
     */
    commands: z.union([z.string(), z.array(z.string())]).optional(),
    env: z.record(z.string(), z.string()).optional(),
    /** Time limit of each command. */
    timeoutSeconds: z.number().positive(),
  })
  .strict();
export type SetupConfig = z.infer<typeof SetupConfigSchema>;

/** Validates a whole, merged configuration (every section present, unknown keys rejected); see `Config`. */
export const ConfigSchema = z
  .object({
    model: ModelConfigSchema,
    agent: AgentConfigSchema,
    workspace: WorkspaceConfigSchema,
    sandbox: SandboxConfigSchema,
    tools: ToolsConfigSchema,
    log: LogConfigSchema,
    setup: SetupConfigSchema,
    test: TestConfigSchema.optional(),
  })
  .strict();

/** The merged configuration a command runs with: `DEFAULT_CONFIG` overlaid by each layer (`loadConfig`). */
export type Config = z.infer<typeof ConfigSchema>;
/** The `model:` section: which model, at which endpoint, with which settings, timeout, retries and pricing. */
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
export type AgentConfig = z.infer<typeof AgentConfigSchema>;
/** A repository's test spec as written under `test:`; see `TestConfigSchema`. */
export type TestConfig = z.infer<typeof TestConfigSchema>;

/** One layer (a file, the environment, the flags): any subset of the configuration. */
export const ConfigLayerSchema = z
  .object({
    model: ModelConfigSchema.partial().optional(),
    agent: AgentConfigSchema.partial().optional(),
    workspace: WorkspaceConfigSchema.partial().optional(),
    sandbox: SandboxConfigSchema.partial().optional(),
    tools: ToolsConfigSchema.partial().optional(),
    log: LogConfigSchema.partial().optional(),
    setup: SetupConfigSchema.partial().optional(),
    test: TestConfigSchema.partial().optional(),
  })
  .strict();
/**
 * One layer of configuration (a file, the environment, the flags): any subset of `Config`; see
 * `ConfigLayerSchema`.
 */
export type ConfigLayer = z.infer<typeof ConfigLayerSchema>;

/**
 * The lowest layer: 600 s model timeout and 5 retries, 100 agent steps, a bubblewrap sandbox (1024 processes,
 * 8 GiB memory, 2 GiB /tmp, 8 GiB disk), workspace setup on (30 min a command), log level info. No model name:
 * one must come from a layer.
 */
export const DEFAULT_CONFIG: Config = {
  model: { timeoutSeconds: 600, maxRetries: 5 },
  agent: { maxSteps: DEFAULT_MAX_STEPS },
  workspace: { tmpfs: false, keep: false },
  sandbox: {
    kind: "bwrap",
    pidsMax: 1024,
    memoryMb: 8192,
    tmpMb: 2048,
    diskMb: 8192,
    readOnly: [],
    docker: {},
  },
  tools: { securityRisk: false, softTimeoutSeconds: 30 },
  log: { level: "info" },
  setup: { enabled: true, timeoutSeconds: 1800 },
};
