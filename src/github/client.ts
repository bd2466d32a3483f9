import { Octokit } from "@octokit/rest";
import type { Logger } from "../common/logger.js";
import { VERSION } from "../version.js";

export const DEFAULT_API_URL = "https://api.github.com";

export interface GitHubClientOptions {
  /** Sent as the Authorization header only; never logged. */
  token: string | undefined;
  /** The REST API's base URL: GitHub Enterprise (`https://ghe.example.com/api/v3`) or a test server. */
  apiUrl?: string;
  logger: Logger;
}

/** The REST client, its logging routed to the structured log (stderr). */
export function createGitHubClient(options: GitHubClientOptions): Octokit {
  const { logger } = options;
  return new Octokit({
    ...(options.token ? { auth: options.token } : {}),
    baseUrl: (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, ""),
    userAgent: `swe-review/${VERSION}`,
    log: {
      debug: (message: string) => logger.debug({ github: true }, message),
      info: (message: string) => logger.info({ github: true }, message),
      warn: (message: string) => logger.warn({ github: true }, message),
      error: (message: string) => logger.error({ github: true }, message),
    },
  });
}
