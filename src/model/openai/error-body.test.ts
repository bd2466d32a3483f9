import { describe, expect, it } from "vitest";
import { normalizeErrorBody } from "./error-body.js";

describe("normalizeErrorBody", () => {
  it("keeps OpenAI's shape and wraps vLLM's, FastAPI's and plain-text errors", () => {
    expect(normalizeErrorBody('{"error": {"message": "bad key", "code": "invalid_api_key"}}')).toEqual({
      error: { message: "bad key", code: "invalid_api_key" },
    });
    expect(
      normalizeErrorBody('{"object": "error", "message": "The model `x` does not exist.", "code": 404}'),
    ).toEqual({
      error: { object: "error", message: "The model `x` does not exist.", code: 404 },
    });
    expect(normalizeErrorBody('{"detail": "Not Found"}')).toEqual({ error: { message: "Not Found" } });
    expect(normalizeErrorBody("upstream connect error")).toEqual({
      error: { message: "upstream connect error" },
    });
    expect(normalizeErrorBody('{"error": "Model not loaded"}').error.message).toBe("Model not loaded");
  });
});
