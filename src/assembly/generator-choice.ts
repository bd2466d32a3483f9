/** Who generates candidates, as a user chose it (flags, or a benchmark run's spec). */
export interface GeneratorChoice {
  /** A model name (our agent), an external agent (claude, codex, …), or a command template; absent: the configured model. */
  generator?: string | undefined;
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  /** Time limit of an external generator command. */
  timeoutSeconds: number;
  /** Let an external generator reach the network. */
  network: boolean;
  /** Environment variables passed to an external generator: names; the values are this process's. */
  envNames: readonly string[];
  /** The model an external agent uses (`--generator-model`; default: the configured model). */
  model?: string | undefined;
  /** Show a ready-made agent's subscription login read-only in its sandbox (`--generator-login`; see `agentLogin`). */
  login?: boolean | undefined;
}
