import { SweReviewError } from "../common/errors.js";

/** The part of Octokit's `RequestError` (name "HttpError") read here. */
interface HttpError {
  status: number;
  message: string;
  response?: { data?: unknown };
}

function isHttpError(error: unknown): error is HttpError {
  return (
    error instanceof Error &&
    error.name === "HttpError" &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

/** Runs one API call; a failure becomes a `gitHubError` that names what was being done. */
export async function callGitHub<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw gitHubError(error, doing);
  }
}

/**
 * A GitHub API failure as a `SweReviewError` that says what was asked and what to do. Only the status and GitHub's
 * message are kept: the request (with its Authorization header) never reaches a log or a message.
 */
export function gitHubError(error: unknown, doing: string): SweReviewError {
  if (!isHttpError(error)) {
    return new SweReviewError(
      "github_unreachable",
      `Could not reach the GitHub API while ${doing}: ${error instanceof Error ? error.message : String(error)}. Check --api-url (or GITHUB_API_URL) and the network.`,
    );
  }
  const message = githubMessage(error);
  const advice: Record<number, string> = {
    401: "The token was refused: set GITHUB_TOKEN to a valid token.",
    403: "The token may lack permission (pull requests: write to post a review; contents: read to read) or hit a rate limit.",
    404: "Check --repo and --pr, and that the token can see the repository.",
    422: "GitHub refused the request as given.",
  };
  return new SweReviewError(
    `github_${error.status}`,
    `GitHub answered ${error.status} while ${doing}: ${message}. ${advice[error.status] ?? ""}`.trim(),
    // A refused token or a pull request that is not there is bad input (exit 3).
    { exitCode: error.status === 401 || error.status === 404 ? 3 : 1 },
  );
}

function githubMessage(error: HttpError): string {
  const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const parts = [typeof data?.message === "string" ? data.message : error.message];
  if (Array.isArray(data?.errors)) {
    parts.push(...data.errors.map((item) => (typeof item === "string" ? item : JSON.stringify(item))));
  }
  return parts.join("; ");
}
