import { InputError } from "../../common/errors.js";

/**
 * The paper's training recipe (reference §9) for LLaMA-Factory, written beside an export: `dataset_info.json`,
 * a training YAML for the chosen base model and `deepspeed_z3.json`. Full SFT with ZeRO-3, template
 * `qwen3_nothink` (the data is pre-rendered, think blocks included), cutoff 131,072 with YaRN, lr 1e-4 cosine,
 * warmup 0.1, 4 epochs, effective batch 64, and per-turn masks (which need the SWE-Lego fork of LLaMA-Factory).
 */
export interface RecipeOptions {
  baseModel: string;
  datasetName: string;
  /** The data file, relative to the export folder (LLaMA-Factory's `dataset_dir: .`). */
  fileName: string;
  /** `messages`: pre-rendered system/user/assistant turns; `tools`: a tools column and function_call/observation turns. */
  form: "messages" | "tools";
  cutoffLen: number;
  gpus: number;
  turnMask: boolean;
}

export const EFFECTIVE_BATCH = 64;
export const DEEPSPEED_FILE = "configs/deepspeed_z3.json";

/** `max_position_embeddings` of the Qwen3 hybrid-thinking models (native context 32K). */
const MAX_POSITIONS: Record<string, number> = {
  "Qwen/Qwen3-0.6B": 40960,
  "Qwen/Qwen3-1.7B": 40960,
  "Qwen/Qwen3-4B": 40960,
  "Qwen/Qwen3-8B": 40960,
  "Qwen/Qwen3-14B": 40960,
  "Qwen/Qwen3-32B": 40960,
  "Qwen/Qwen3-30B-A3B": 40960,
  "Qwen/Qwen3-235B-A22B": 40960,
};

export function datasetInfo(options: RecipeOptions): Record<string, unknown> {
  const tags: Record<string, string> = {
    role_tag: "role",
    content_tag: "content",
    user_tag: "user",
    assistant_tag: "assistant",
    system_tag: "system",
  };
  if (options.form === "tools") {
    tags.observation_tag = "observation";
    tags.function_tag = "function_call";
  }
  const columns: Record<string, string> =
    options.form === "tools"
      ? { messages: "messages", system: "system", tools: "tools" }
      : { messages: "messages" };
  return { [options.datasetName]: { file_name: options.fileName, formatting: "sharegpt", columns, tags } };
}

export function recipeSlug(baseModel: string): string {
  const name = baseModel.split("/").at(-1) ?? baseModel;
  return `swe_review_${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "")}`;
}

export function trainingYaml(options: RecipeOptions): string {
  if (!Number.isInteger(options.gpus) || options.gpus < 1 || EFFECTIVE_BATCH % options.gpus !== 0) {
    throw new InputError(
      "gpus_invalid",
      `--gpus ${options.gpus} does not divide the recipe's effective batch of ${EFFECTIVE_BATCH}: use 1, 2, 4, 8, 16, 32 or 64.`,
    );
  }
  const accumulation = EFFECTIVE_BATCH / options.gpus;
  const slug = recipeSlug(options.baseModel);
  const positions = MAX_POSITIONS[options.baseModel];
  const yarn =
    positions === undefined
      ? "# LLaMA-Factory sets the YaRN factor to ceil(cutoff_len / max_position_embeddings) of the base model"
      : `# YaRN factor ceil(${options.cutoffLen} / ${positions}) = ${Math.ceil(options.cutoffLen / positions)}.0 (set by LLaMA-Factory)`;
  const mask = options.turnMask
    ? [
        "# Loss only on assistant turns whose tool call did not fail (paper C.3). turn_mask needs the SWE-Lego fork",
        "# of LLaMA-Factory: stock LLaMA-Factory rejects this key. Export with --no-turn-mask for stock LLaMA-Factory.",
        "turn_mask: true",
      ]
    : ["# No per-turn masks: every assistant turn is trained (stock LLaMA-Factory)."];
  return [
    `# SWE-Review SFT recipe (paper §C, reference §9) for ${options.baseModel}, written by swe-review traj export.`,
    `# Run from this folder: FORCE_TORCHRUN=1 llamafactory-cli train configs/${slug}.yaml`,
    "### model",
    `model_name_or_path: ${options.baseModel}`,
    "trust_remote_code: true",
    "",
    "### method",
    "stage: sft",
    "do_train: true",
    "finetuning_type: full",
    `deepspeed: ${DEEPSPEED_FILE}`,
    "",
    "### dataset",
    `dataset: ${options.datasetName}`,
    "dataset_dir: .",
    "# The data is rendered with the model's chat template already; qwen3_nothink adds no think blocks of its own.",
    "template: qwen3_nothink",
    `cutoff_len: ${options.cutoffLen}`,
    yarn,
    "rope_scaling: yarn",
    "max_samples: 1000000",
    "overwrite_cache: true",
    "preprocessing_num_workers: 16",
    "dataloader_num_workers: 4",
    ...mask,
    "",
    "### output",
    `output_dir: saves/${slug}/full/sft`,
    `run_name: ${slug}`,
    "logging_steps: 1",
    "save_strategy: epoch",
    "plot_loss: true",
    "overwrite_output_dir: true",
    "save_only_model: false",
    "report_to: wandb",
    "",
    "### train",
    `# Effective batch ${EFFECTIVE_BATCH} = 1 per device x ${accumulation} accumulation steps x ${options.gpus} GPUs.`,
    "per_device_train_batch_size: 1",
    `gradient_accumulation_steps: ${accumulation}`,
    "learning_rate: 1.0e-4",
    "weight_decay: 0.01",
    "max_grad_norm: 1.0",
    "num_train_epochs: 4.0",
    "lr_scheduler_type: cosine",
    "warmup_ratio: 0.1",
    "bf16: true",
    "ddp_timeout: 180000000",
    "resume_from_checkpoint: null",
    "enable_liger_kernel: true",
    "use_unsloth_gc: true",
    "flash_attn: fa2",
    "",
  ].join("\n");
}

/** ZeRO-3 without offload; batch sizes and clipping come from the training arguments ("auto"). */
export const DEEPSPEED_Z3 = {
  train_batch_size: "auto",
  train_micro_batch_size_per_gpu: "auto",
  gradient_accumulation_steps: "auto",
  gradient_clipping: "auto",
  zero_allow_untested_optimizer: true,
  fp16: {
    enabled: "auto",
    loss_scale: 0,
    loss_scale_window: 1000,
    initial_scale_power: 16,
    hysteresis: 2,
    min_loss_scale: 1,
  },
  bf16: { enabled: "auto" },
  zero_optimization: {
    stage: 3,
    overlap_comm: false,
    contiguous_gradients: true,
    sub_group_size: 1e9,
    reduce_bucket_size: "auto",
    stage3_prefetch_bucket_size: "auto",
    stage3_param_persistence_threshold: "auto",
    stage3_max_live_parameters: 1e9,
    stage3_max_reuse_distance: 1e9,
    stage3_gather_16bit_weights_on_model_save: true,
  },
};
