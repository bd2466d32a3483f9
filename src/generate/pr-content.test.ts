import { describe, expect, it } from "vitest";
import { readPrContent } from "./pr-content.js";

describe("readPrContent", () => {
  it("reads strict JSON and JSON with raw newlines in strings", () => {
    expect(readPrContent('{"pr_title": "fix: oz", "pr_body": "Adds ounces."}')).toEqual({
      prTitle: "fix: oz",
      prBody: "Adds ounces.",
      source: "file",
    });
    expect(readPrContent('{"pr_title": "fix", "pr_body": "line one\nline two\tend"}')).toMatchObject({
      prBody: "line one\nline two\tend",
    });
  });

  it("salvages a broken file with the published regex rule", () => {
    const broken = '{"pr_title": "fix: units", "pr_body": "It said "hello" and\nmore"}';
    expect(readPrContent(broken)).toEqual({
      prTitle: "fix: units",
      prBody: 'It said "hello" and more',
      source: "file",
    });
  });

  it("falls back to N/A when missing or empty", () => {
    expect(readPrContent(undefined)).toEqual({ prTitle: "N/A", prBody: "N/A", source: "missing" });
    expect(readPrContent('{"pr_title": "", "pr_body": "x"}')).toMatchObject({ source: "missing" });
    expect(readPrContent("not json")).toMatchObject({ source: "missing" });
  });
});
