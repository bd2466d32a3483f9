import { SecretScrubber } from "../common/secrets.js";
import {
  AbortedError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ContextLengthError,
  MalformedResponseError,
  MODEL_UNREACHABLE,
  ModelError,
  ModelNotFoundError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  UnreachableError,
} from "./errors.js";
import { parseRetryAfter } from "./retry.js";
import { unreachableReason } from "./unreachable.js";

/** Messages servers use when a prompt does not fit (OpenAI, vLLM, SGLang, llama.cpp, Anthropic-compatible). */
const CONTEXT_LENGTH =
  /context[_ ]length|maximum context|context window|prompt is too long|too many tokens|exceeds the available context|longer than the maximum model length|maximum model length/i;

export interface ErrorContext {
  model: string;
  /** The base URL as messages show it (credentials redacted: `Endpoint.shown`). */
  baseUrl: string;
  /**
   * Values no message may contain: the API key and the base URL's credentials. Servers echo keys in their errors
   * and the HTTP client quotes whole URLs; both are scrubbed of these (and of any URL's credentials) here, where
   * the error is made, so every place it reaches (report.json, logs, stdout, stderr) gets it clean.
   */
  secrets: readonly (string | undefined)[];
  timeoutMs: number;
  now: number;
  /** What to do about a refused key (which variables and flags set it). */
  keyHint: string;
  /** How to list the models the endpoint serves. */
  modelsHint: string;
}

/** The API error shape the official OpenAI and Anthropic SDKs share (both are generated the same way). */
interface SdkApiError extends Error {
  status: number | undefined;
  headers: Headers | undefined;
  error: unknown;
  code?: unknown;
}

/** The error classes of one SDK. */
export interface SdkErrorClasses {
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIError: abstract new (...args: never[]) => Error;
}

/**
 * Maps whatever an SDK threw to one of our typed model errors, its message free of the context's secrets. Unknown
 * errors are returned unchanged.
 */
export function toModelError(
  error: unknown,
  context: ErrorContext,
  sdk: SdkErrorClasses,
): ModelError | unknown {
  const scrubber = new SecretScrubber(context.secrets);
  const scrub = (text: string) => scrubber.scrub(text);
  if (error instanceof ModelError) return scrubbed(error, scrub);
  if (error instanceof sdk.APIUserAbortError)
    return new AbortedError("aborted", "The model request was aborted.");
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return new RequestTimeoutError(
      "model_timeout",
      `No answer from ${context.baseUrl} within ${Math.round(context.timeoutMs / 1000)} s (model.timeoutSeconds).`,
      { cause: error },
    );
  }
  if (error instanceof sdk.APIConnectionError) {
    const unreachable = unreachableReason(error);
    if (unreachable) {
      return new UnreachableError(
        MODEL_UNREACHABLE,
        `Cannot reach ${context.baseUrl}: ${unreachable.reason}. ${unreachable.fix}`,
        { cause: error },
      );
    }
    return new ConnectionError(
      "model_connection_failed",
      `Cannot reach ${context.baseUrl}: ${scrub(describeCause(error))}. Check that the server is running and the base URL is right.`,
      { cause: error },
    );
  }
  if (error instanceof sdk.APIError && (error as SdkApiError).status !== undefined) {
    const apiError = error as SdkApiError;
    return fromStatus(apiError, apiError.status ?? 0, context, scrub);
  }
  if (error instanceof SyntaxError) {
    return new MalformedResponseError(
      "malformed_response",
      `The server's answer is not valid JSON (${scrub(error.message)}).`,
      { cause: error },
    );
  }
  if (
    error instanceof Error &&
    /terminated|socket|ECONNRESET|other side closed/i.test(describeCause(error))
  ) {
    return new ConnectionError(
      "model_connection_reset",
      `The connection to ${context.baseUrl} was cut off mid-answer.`,
      {
        cause: error,
      },
    );
  }
  return error;
}

function fromStatus(
  error: SdkApiError,
  status: number,
  context: ErrorContext,
  scrub: (text: string) => string,
): ModelError {
  const detail = scrub(serverMessage(error));
  const options = { status, cause: error };
  if (status === 401 || status === 403) {
    return new AuthenticationError(
      "model_auth",
      `${context.baseUrl} refused the API key (${status}: ${detail}). ${context.keyHint}`,
      options,
    );
  }
  if (status === 404) {
    return new ModelNotFoundError(
      "model_not_found",
      `Model '${context.model}' was not found at ${context.baseUrl} (404: ${detail}). ${context.modelsHint}`,
      options,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter((name) => error.headers?.get(name), context.now);
    return new RateLimitError("model_rate_limited", `Rate limited by ${context.baseUrl} (429: ${detail}).`, {
      ...options,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (CONTEXT_LENGTH.test(detail) || error.code === "context_length_exceeded") {
    return new ContextLengthError(
      "context_length_exceeded",
      `The conversation no longer fits the context window of '${context.model}' (${status}: ${detail}).`,
      options,
    );
  }
  if (status >= 500 || status === 408 || status === 409) {
    const retryAfterMs = parseRetryAfter((name) => error.headers?.get(name), context.now);
    return new ServerError("model_server_error", `${context.baseUrl} failed (${status}: ${detail}).`, {
      ...options,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  return new BadRequestError(
    "model_bad_request",
    `${context.baseUrl} rejected the request (${status}: ${detail}).`,
    options,
  );
}

/** A model error of our own making (parsing an answer, which its message may quote), scrubbed the same way. */
function scrubbed(error: ModelError, scrub: (text: string) => string): ModelError {
  const message = scrub(error.message);
  if (message === error.message) return error;
  const Kind = error.constructor as new (
    code: string,
    message: string,
    options: ConstructorParameters<typeof ServerError>[2],
  ) => ModelError;
  return new Kind(error.code, message, {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    cause: error.cause,
  });
}

function serverMessage(error: SdkApiError): string {
  // OpenAI: the SDK hands over body.error; Anthropic: the whole {type: "error", error: {message}} body.
  const body = error.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  if (body && typeof body.message === "string") return body.message;
  if (body && typeof body.error?.message === "string") return body.error.message;
  return error.message.replace(/^\d+\s*/, "") || "no message";
}

function describeCause(error: Error): string {
  const parts = [error.message];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    parts.push(cause.message, (cause as { code?: string }).code ?? "");
    cause = cause.cause;
  }
  return parts.filter(Boolean).join(": ");
}
