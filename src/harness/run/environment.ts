import type { Instance } from "../../data/instance.js";

/**
 * Where an instance's tests run. The verifier (patch order, log markers, grading) only uses this interface, so a
 * backend decides how a checkout comes to exist and how commands are isolated: the sandbox backend (a workspace
 * from a cached mirror and bubblewrap), or containers of SWE-bench's images (`docker`), where the checkout and its
 * setup come baked into the image.
 */
export interface Environment {
  /** A name for logs and results (`bwrap`, `local`, `docker`). */
  readonly name: string;
  /**
   * A checkout of `repo` at `baseCommit` with `setup` done (setup may use the network; everything run afterwards
   * in the prepared environment has none). Throws `SetupError` when a setup command fails.
   */
  prepare(request: PrepareRequest): Promise<PreparedEnvironment>;
  /** The image an instance's checkout comes from (`PrepareRequest.image`), for backends that run images. */
  imageFor?(instance: Instance): string;
}

/** What `Environment.prepare` makes: a checkout of a repository at a commit, with its setup commands run. */
export interface PrepareRequest {
  /** `owner/name`. */
  repo: string;
  /** The commit to check out. */
  baseCommit: string;
  /** Shell commands run once in the fresh checkout, in order, before any patch. */
  setup: readonly string[];
  /** The environment setup commands run with (the test spec's). */
  env: Readonly<Record<string, string>>;
  /** Time limit of each setup command, in milliseconds. */
  setupTimeoutMs: number;
  /** Host paths commands must be able to read (an interpreter installed outside the system folders). */
  readOnly?: readonly string[];
  /** The image holding the checkout (see `Environment.imageFor`); backends without images ignore it. */
  image?: string;
}

/** One prepared checkout. Every command runs in it, without network access. */
export interface PreparedEnvironment {
  /** The checkout and a private temporary folder, as commands see them. */
  readonly paths: { testbed: string; tmp: string };
  /** The commit the checkout is at (the base commit, resolved). */
  readonly commit: string;
  /** What setup printed (or a note that it was restored from the cache), for the log. */
  readonly setupLog: string;
  /**
   * Runs a shell command in the checkout, killed at `timeoutMs`. `output` is exactly what the command printed
   * (stdout and stderr together, in order), captured where nothing it starts can rewrite it afterwards.
   */
  exec(command: string, options: ExecOptions): Promise<ExecResult>;
  /** Writes a file (its folder is created), at a path as commands see it. */
  writeFile(path: string, content: string): Promise<void>;
  /** Ends every process and removes the checkout. */
  dispose(): Promise<void>;
}

export interface ExecOptions {
  timeoutMs: number;
  env?: Readonly<Record<string, string>>;
}

export interface ExecResult {
  output: string;
  /** Null when the command was killed. */
  exitCode: number | null;
  timedOut: boolean;
}
