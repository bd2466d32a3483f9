import { describe, expect, it } from "vitest";
import { listSourcedValues, recordLayerSources, type ValueSources } from "./value-sources.js";

describe("value sources", () => {
  it("names the last layer that set each key, merging sandbox.docker key by key and other objects whole", () => {
    const sources: ValueSources = new Map();
    const file = { name: "file", path: "/tmp/c.yaml" } as const;
    recordLayerSources(
      sources,
      { model: { timeoutSeconds: 600 }, sandbox: { docker: {} } },
      { name: "defaults" },
    );
    recordLayerSources(
      sources,
      { model: { pricing: { input: 1, output: 2 } }, sandbox: { docker: { image: "a", pull: false } } },
      file,
    );
    recordLayerSources(
      sources,
      { model: { timeoutSeconds: 5, name: undefined }, sandbox: { docker: { image: "b" } } },
      {
        name: "flags",
      },
    );
    const config = {
      model: { timeoutSeconds: 5, pricing: { input: 1, output: 2 }, apiKey: "[REDACTED]" },
      sandbox: { docker: { image: "b", pull: false } },
    };
    expect(listSourcedValues(config, sources)).toEqual([
      { path: "model.timeoutSeconds", value: 5, source: { name: "flags" } },
      { path: "model.pricing.input", value: 1, source: file },
      { path: "model.pricing.output", value: 2, source: file },
      { path: "model.apiKey", value: "[REDACTED]", source: { name: "defaults" } },
      { path: "sandbox.docker.image", value: "b", source: { name: "flags" } },
      { path: "sandbox.docker.pull", value: false, source: file },
    ]);
  });
});
