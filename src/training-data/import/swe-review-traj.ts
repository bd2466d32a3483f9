import { InputError } from "../../common/errors.js";
import { readRecords } from "../../data/records.js";
import { normalizeRecommendation } from "../../review/report.js";
import { fromOpenAiMessages, fromOpenAiTools } from "../../trajectory/formats/openai-chat.js";
import { labelOf } from "../dataset/instance-files.js";
import { stringField } from "../dataset/sample.js";
import { eventsFromConversation } from "./to-events.js";
import type { ImportedTrajectory } from "./write-run.js";

/**
 * Rows of SWE-Review-Traj (`SWE-Lego/SWE-Review-Traj`, reference §10.4) or our own OpenAI JSONL export:
 * `messages` (OpenAI format, a list or its JSON text), `tools` (a list or JSON text, default none), `decision`
 * and `patch_resolved`. Read from JSONL, JSON or Parquet.
 */
export async function importSweReviewTraj(path: string, createdAt: string): Promise<ImportedTrajectory[]> {
  const imported: ImportedTrajectory[] = [];
  for (const [index, { value, where }] of (await readRecords(path)).entries()) {
    if (value === null || typeof value !== "object" || !("messages" in value)) {
      throw new InputError("traj_row_invalid", `${where} has no messages: expected a SWE-Review-Traj row.`);
    }
    const row = value as Record<string, unknown>;
    const { messages, dropped } = fromOpenAiMessages(row.messages, where);
    const decision = normalizeRecommendation(row.decision) ?? null;
    const instanceId = stringField(row, "instance_id", "instanceId");
    const candidateId = stringField(row, "candidate_id", "candidateId");
    const resolved = labelOf(row);
    const meta: Record<string, unknown> = { source_row: index + 1 };
    if (instanceId) meta.instance_id = instanceId;
    if (candidateId) meta.candidate_id = candidateId;
    const { events, orphans } = eventsFromConversation({
      id: `swe-review-traj-${index + 1}`,
      importedFrom: "swe-review-traj",
      model: stringField(row, "model", "model_name") ?? "",
      messages,
      tools: fromOpenAiTools(row.tools, where),
      meta,
      decision,
      createdAt,
    });
    imported.push({
      name: instanceId ?? `row-${String(index + 1).padStart(6, "0")}`,
      events,
      result: {
        ...(instanceId ? { instance_id: instanceId } : {}),
        ...(candidateId ? { candidate_id: candidateId } : {}),
        decision,
        ...(resolved === undefined ? {} : { resolved }),
        imported_from: "swe-review-traj",
        source: where,
      },
      dropped: dropped + orphans,
    });
  }
  return imported;
}
