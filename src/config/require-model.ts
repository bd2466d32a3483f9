import { InputError } from "../common/errors.js";
import type { ModelConfig } from "./schema.js";

/** Model settings with a name: what `requireModel` returns once a model is configured. */
export type ConfiguredModel = ModelConfig & { name: string };

/** The model settings of a command that talks to a model, or one clear error that says how to configure one. */
export function requireModel(model: ModelConfig): ConfiguredModel {
  if (model.name) return { ...model, name: model.name };
  throw new InputError(
    "model_missing",
    [
      "No model is configured. Tell swe-review which model to use and where it is served:",
      "  a vLLM (or SGLang, llama.cpp, Ollama) server:",
      "    --model SWE-Review-30B-A3B --base-url http://localhost:8000/v1",
      "    (or SWE_REVIEW_MODEL and SWE_REVIEW_BASE_URL; the name is vLLM's --served-model-name)",
      "  an API:",
      "    --model gpt-4.1 with OPENAI_API_KEY set (or SWE_REVIEW_API_KEY; --base-url for other OpenAI-compatible APIs)",
      "  or put `model: {name: ..., baseUrl: ...}` in .swe-review.yaml or ~/.config/swe-review/config.yaml.",
    ].join("\n"),
  );
}
