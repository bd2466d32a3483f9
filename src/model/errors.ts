import { SweReviewError } from "../common/errors.js";

/**
 * Errors a model call can end with. Each says what happened and what to do; `retryable` tells the retry policy
 * whether trying again can help; `retryAfterMs` carries a server's Retry-After.
 */
export abstract class ModelError extends SweReviewError {
  abstract readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause, exitCode: 2 });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** An error trying again cannot cure: the request or the account is wrong, or the caller gave up. */
export abstract class FinalModelError extends ModelError {
  readonly retryable = false;
}
/** An error that trying again may cure (a busy, slow or flaky server): the retry policy tries again. */
export abstract class RetryableModelError extends ModelError {
  readonly retryable = true;
}

/** 401/403: the key is missing, wrong, or lacks access. */
export class AuthenticationError extends FinalModelError {}
/** 404: the server does not serve this model (or the base URL is wrong). */
export class ModelNotFoundError extends FinalModelError {}
/** The conversation no longer fits the model's context window. */
export class ContextLengthError extends FinalModelError {}
/** Other 4xx: the server refused the request as malformed. */
export class BadRequestError extends FinalModelError {}
/** A 2xx whose body is not a usable chat completion (cut off, not JSON, no choices). */
export class MalformedResponseError extends RetryableModelError {}
/** 429. */
export class RateLimitError extends RetryableModelError {}
/** 5xx (and 408/409). */
export class ServerError extends RetryableModelError {}
/** No complete answer within the per-request timeout. */
export class RequestTimeoutError extends RetryableModelError {}
/** The connection failed or was reset. */
export class ConnectionError extends RetryableModelError {}
/**
 * Nobody answers at the base URL: the connection was refused or the host name does not resolve. Retried only
 * briefly (a server restarting), and nothing more is asked of a server known to be dead.
 */
export class UnreachableError extends ConnectionError {}

/** The code of an `UnreachableError`, as it reaches run records (`AgentRun.error`, sample records). */
export const MODEL_UNREACHABLE = "model_unreachable";

/** Whether a run's recorded error says the model server could not be reached. */
export function isUnreachable(error: { code: string } | undefined): boolean {
  return error?.code === MODEL_UNREACHABLE;
}
/** The caller aborted the request. */
export class AbortedError extends FinalModelError {}
