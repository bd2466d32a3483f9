import { InputError } from "../../common/errors.js";
import type { Candidate } from "../../data/candidate.js";
import type { Instance } from "../../data/instance.js";
import { loadCandidates } from "../../data/load.js";

/** `gold`: each instance's own patch; `empty`: no change; anything else: a candidates file. */
export type CandidateSource = "gold" | "empty" | { file: string };

export function parseCandidateSource(value: string): CandidateSource {
  return value === "gold" || value === "empty" ? value : { file: value };
}

/** The ids `--instances` names: comma- or space-separated, over one or more flags. */
export function parseInstanceIds(values: readonly string[] = []): string[] | undefined {
  const ids = values.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean);
  return ids.length > 0 ? [...new Set(ids)] : undefined;
}

/**
 * The instances to verify (all, or those `ids` names) and their candidates. Every id, and every candidate's
 * instance, must be in the dataset: a mismatch is bad input, named with the file it came from.
 */
export async function selectCandidates(
  instances: readonly Instance[],
  source: CandidateSource,
  options: { ids?: readonly string[] | undefined; datasetPath: string },
): Promise<{ instances: Instance[]; candidates: Candidate[] }> {
  const byId = new Map(instances.map((instance) => [instance.instance_id, instance]));
  const unknown = (options.ids ?? []).filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new InputError(
      "instance_not_found",
      `--instances names ${unknown.length === 1 ? "an instance" : "instances"} not in ${options.datasetPath}: ` +
        `${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ", …" : ""}.`,
    );
  }
  const wanted = options.ids ? new Set(options.ids) : undefined;
  const selected = wanted ? instances.filter((instance) => wanted.has(instance.instance_id)) : [...instances];
  if (source === "gold" || source === "empty") {
    return {
      instances: selected,
      candidates: selected.map((instance) => builtinCandidate(instance, source)),
    };
  }
  const all = await loadCandidates(source.file);
  const strangers = all.filter((candidate) => !byId.has(candidate.instance_id));
  if (strangers.length > 0) {
    const names = [...new Set(strangers.map((candidate) => candidate.instance_id))];
    throw new InputError(
      "candidate_instance_missing",
      `${source.file} has candidates for ${names.length} instance${names.length === 1 ? "" : "s"} not in ` +
        `${options.datasetPath} (${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}). ` +
        "Pass the dataset those instances come from.",
    );
  }
  const candidates = wanted ? all.filter((candidate) => wanted.has(candidate.instance_id)) : all;
  const used = new Set(candidates.map((candidate) => candidate.instance_id));
  return { instances: selected.filter((instance) => used.has(instance.instance_id)), candidates };
}

function builtinCandidate(instance: Instance, kind: "gold" | "empty"): Candidate {
  if (kind === "gold" && instance.patch === undefined) {
    throw new InputError(
      "gold_patch_missing",
      `${instance.instance_id} has no reference patch, so --candidates gold cannot verify it; leave it out with --instances.`,
    );
  }
  return {
    candidate_id: `${instance.instance_id}@${kind}`,
    instance_id: instance.instance_id,
    model_patch: kind === "gold" ? (instance.patch ?? "") : "",
    source: kind,
  };
}
