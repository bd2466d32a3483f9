import { readTrajectory } from "../../trajectory/reader.js";
import { findTrajectories } from "./discover.js";
import { readInstanceRecord } from "./instance-files.js";
import { type Labels, lookupLabel } from "./labels.js";
import { sampleFromEvents, type TrajSample } from "./sample.js";

/**
 * Every trajectory under the given paths as a sample, one at a time (a run can hold thousands): the instance
 * folder's `result.json` fills in ids, the decision (when the trajectory has no result event) and the label;
 * a labels file, when given, overrides the label.
 */
export function* loadSamples(paths: readonly string[], labels?: Labels): Generator<TrajSample> {
  for (const path of paths) {
    for (const location of findTrajectories(path)) {
      const { events } = readTrajectory(location.path);
      const sample = sampleFromEvents(events, location.path);
      if (location.instanceDir) {
        const record = readInstanceRecord(location.instanceDir);
        sample.instanceId ??= record.instanceId;
        sample.candidateId ??= record.candidateId;
        if (sample.decision === null && record.decision) sample.decision = record.decision;
        if (record.resolved !== undefined) sample.resolved = record.resolved;
        if (record.patch !== undefined) sample.patch = record.patch;
      }
      const label = labels ? lookupLabel(labels, sample) : undefined;
      if (label !== undefined) sample.resolved = label;
      yield sample;
    }
  }
}
