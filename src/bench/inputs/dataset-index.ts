import type { DatasetItem } from "./scoring-dataset.js";

/** Finds a dataset item by candidate id, or by instance id (within a split when given) when that is unambiguous. */
export class DatasetIndex {
  private readonly byCandidate = new Map<string, DatasetItem>();
  private readonly byInstance = new Map<string, DatasetItem[]>();

  constructor(readonly items: readonly DatasetItem[]) {
    for (const item of items) {
      this.byCandidate.set(item.candidate_id, item);
      this.byInstance.set(item.instance_id, [...(this.byInstance.get(item.instance_id) ?? []), item]);
    }
  }

  /** The item, or undefined when none matches; "ambiguous" when the instance has several candidates. */
  find(ref: {
    candidate_id?: string | undefined;
    instance_id: string;
    split?: string | undefined;
  }): DatasetItem | "ambiguous" | undefined {
    const exact = ref.candidate_id ? this.byCandidate.get(ref.candidate_id) : undefined;
    if (exact) return exact;
    const forInstance = (this.byInstance.get(ref.instance_id) ?? []).filter(
      (item) => ref.split === undefined || item.split === ref.split,
    );
    if (forInstance.length > 1) return "ambiguous";
    return forInstance[0];
  }

  /** Whether every instance has one candidate (so instance ids alone identify items). */
  instanceIdsAreUnique(): boolean {
    return this.byInstance.size === this.items.length;
  }
}
