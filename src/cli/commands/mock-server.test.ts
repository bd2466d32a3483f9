import { describe, expect, it } from "vitest";
import { requestLine } from "./mock-server.js";

describe("mock-server --log-requests lines", () => {
  const request = { method: "POST", path: "/v1/chat/completions", ms: 3 };
  it("names the status, a cut connection or a cut answer, and the entries left", () => {
    expect(requestLine({ ...request, status: 200, complete: true, remaining: 4 })).toBe(
      "POST /v1/chat/completions 200 3 ms, 4 script entries left",
    );
    expect(requestLine({ ...request, status: undefined, complete: false, remaining: 1 })).toBe(
      "POST /v1/chat/completions connection cut 3 ms, 1 script entry left",
    );
    expect(requestLine({ ...request, status: 200, complete: false, remaining: 0 })).toBe(
      "POST /v1/chat/completions 200 cut short 3 ms, 0 script entries left",
    );
  });
});
