import {
  AbortedError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ContextLengthError,
  MalformedResponseError,
  type ModelError,
  ModelNotFoundError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
} from "./errors.js";
import { parseRetryAfter } from "./retry.js";

/** Messages servers use when a prompt does not fit (OpenAI, vLLM, SGLang, llama.cpp, Anthropic-compatible). */
const CONTEXT_LENGTH =
  /context[_ ]length|maximum context|context window|prompt is too long|too many tokens|exceeds the available context|longer than the maximum model length|maximum model length/i;

export interface ErrorContext {
  model: string;
  baseUrl: string;
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

/** Maps whatever an SDK threw to one of our typed model errors. Unknown errors are returned unchanged. */
export function toModelError(
  error: unknown,
  context: ErrorContext,
  sdk: SdkErrorClasses,
): ModelError | unknown {
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
    return new ConnectionError(
      "model_unreachable",
      `Cannot reach ${context.baseUrl}: ${describeCause(error)}. Check that the server is running and the base URL is right.`,
      { cause: error },
    );
  }
  if (error instanceof sdk.APIError && (error as SdkApiError).status !== undefined) {
    const apiError = error as SdkApiError;
    return fromStatus(apiError, apiError.status ?? 0, context);
  }
  if (error instanceof SyntaxError) {
    return new MalformedResponseError(
      "malformed_response",
      `The server's answer is not valid JSON (${error.message}).`,
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

function fromStatus(error: SdkApiError, status: number, context: ErrorContext): ModelError {
  const detail = serverMessage(error);
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
