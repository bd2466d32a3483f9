import { z } from "zod";
import { extractJsonObject } from "./json-in-text.js";

/**
 * The review report: the reviewer's deliverable, with the fields of the published SWE-Review report (reference
 * §3.1). `parseReviewReport` accepts the variants models and older tools produce and returns this normalised shape.
 */
export const RECOMMENDATIONS = ["approve", "request_changes"] as const;
/**
 * Validates a recommendation: exactly `approve` or `request_changes` (use `normalizeRecommendation` for
 * synonyms).
 */
export const RecommendationSchema = z.enum(RECOMMENDATIONS);
/** The reviewer's verdict on a patch: `approve` or `request_changes`. */
export type Recommendation = z.infer<typeof RecommendationSchema>;

/** The severities a defect may have, most serious first; `parseReviewReport` reads any other as `medium`. */
export const SEVERITIES = ["high", "medium", "low"] as const;
/**
 * The defect categories the report's JSON schema offers the model. `DefectSchema` accepts any string, and
 * `parseReviewReport` keeps a category it does not know (lower-cased); a missing one reads as `correctness`.
 */
export const CATEGORIES = [
  "correctness",
  "compatibility",
  "security",
  "performance",
  "maintainability",
] as const;

/** Validates one defect the reviewer found in the patch; see `Defect`. */
export const DefectSchema = z.object({
  severity: z.enum(SEVERITIES),
  /** Usually one of `CATEGORIES`, but any string is kept. */
  category: z.string(),
  /** Where in the repository; null when the reviewer named no file. Lines are 1-based, null when not given. */
  location: z
    .object({
      path: z.string(),
      start_line: z.number().int().nullable(),
      end_line: z.number().int().nullable(),
    })
    .nullable(),
  /** What is wrong. */
  description: z.string(),
  /** How to fix it; empty when the reviewer suggested nothing. */
  suggestion: z.string(),
});
/** One defect in a review report: severity, category, location, what is wrong and how to fix it. */
export type Defect = z.infer<typeof DefectSchema>;

/** Validates a normalised review report (the shape `parseReviewReport` returns); see `ReviewReport`. */
export const ReviewReportSchema = z.object({
  decision: z.object({
    recommendation: RecommendationSchema,
    /** 0–1; null when the reviewer gave none. */
    confidence: z.number().min(0).max(1).nullable(),
  }),
  /**
   * The reviewer's account of the problem, the patch's solution and its overall judgement; empty strings when
   * absent.
   */
  summary: z.object({ problem: z.string(), solution: z.string(), overall_assessment: z.string() }),
  /** Every defect found; empty for a clean patch (or a reviewer who listed none). */
  defects: z.array(DefectSchema),
});
/** The reviewer's report on a patch: decision (recommendation and confidence), summary and defects. */
export type ReviewReport = z.infer<typeof ReviewReportSchema>;

/** The JSON schema of a report, for structured output (`response_format`, a forced tool). */
export const REVIEW_REPORT_JSON_SCHEMA: Record<string, unknown> = {
  type: "object",
  properties: {
    decision: {
      type: "object",
      properties: {
        recommendation: { type: "string", enum: [...RECOMMENDATIONS] },
        confidence: { type: "number", minimum: 0, maximum: 1 },
      },
      required: ["recommendation", "confidence"],
    },
    summary: {
      type: "object",
      properties: {
        problem: { type: "string" },
        solution: { type: "string" },
        overall_assessment: { type: "string" },
      },
      required: ["problem", "solution", "overall_assessment"],
    },
    defects: {
      type: "array",
      items: {
        type: "object",
        properties: {
          severity: { type: "string", enum: [...SEVERITIES] },
          category: { type: "string", enum: [...CATEGORIES] },
          location: {
            type: "object",
            properties: {
              path: { type: "string" },
              start_line: { type: "integer" },
              end_line: { type: "integer" },
            },
            required: ["path", "start_line", "end_line"],
          },
          description: { type: "string" },
          suggestion: { type: "string" },
        },
        required: ["severity", "category", "location", "description", "suggestion"],
      },
    },
  },
  required: ["decision", "summary", "defects"],
};

/** What `parseReviewReport` returns: the normalised report, or why none could be read (it never throws). */
export type ParsedReport = { ok: true; report: ReviewReport } | { ok: false; reason: string };

/**
 * Reads a report from an object or from model text (whole JSON, a fenced block, or JSON inside prose; repaired when
 * needed). Accepts the known variants: `decision` as a string, a top-level `recommendation`, a boolean `bug_fixed`,
 * synonyms (`approved`, `reject`, `request changes`), confidence as a string or a percentage, `summary` as a
 * string, missing defects. A report is valid when a recommendation can be read from it.
 */
export function parseReviewReport(input: unknown): ParsedReport {
  const object = typeof input === "string" ? extractJsonObject(input) : asObject(input);
  if (!object) return { ok: false, reason: "no JSON object found" };
  const decision = asObject(object.decision);
  const recommendation =
    normalizeRecommendation(decision ? decision.recommendation : object.decision) ??
    normalizeRecommendation(object.recommendation) ??
    (typeof object.bug_fixed === "boolean" ? (object.bug_fixed ? "approve" : "request_changes") : undefined);
  if (!recommendation) {
    const given = decision?.recommendation ?? object.decision ?? object.recommendation;
    return {
      ok: false,
      reason:
        given === undefined
          ? "the report has no decision"
          : `unknown recommendation ${JSON.stringify(given)}`,
    };
  }
  return {
    ok: true,
    report: {
      decision: {
        recommendation,
        confidence: normalizeConfidence(decision?.confidence ?? object.confidence),
      },
      summary: normalizeSummary(object.summary),
      defects: (Array.isArray(object.defects) ? object.defects : []).flatMap((defect) =>
        normalizeDefect(defect),
      ),
    },
  };
}

/**
 * Reads a recommendation from a model's wording, ignoring case, spaces and hyphens: `approved`, `LGTM`, `accept`
 * read as `approve`; `reject`, `changes requested` as `request_changes`. Undefined for anything else or a non-string.
 */
export function normalizeRecommendation(value: unknown): Recommendation | undefined {
  if (typeof value !== "string") return undefined;
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  if (["approve", "approved", "accept", "accepted", "lgtm"].includes(key)) return "approve";
  if (
    [
      "request_changes",
      "requested_changes",
      "changes_requested",
      "reject",
      "rejected",
      "request_change",
    ].includes(key)
  ) {
    return "request_changes";
  }
  return undefined;
}

function normalizeConfidence(value: unknown): number | null {
  const number = typeof value === "string" ? Number.parseFloat(value.replace("%", "")) : value;
  if (typeof number !== "number" || !Number.isFinite(number)) return null;
  const scaled = number > 1 && number <= 100 ? number / 100 : number;
  return Math.min(1, Math.max(0, scaled));
}

function normalizeSummary(value: unknown): ReviewReport["summary"] {
  if (typeof value === "string") return { problem: "", solution: "", overall_assessment: value };
  const summary = asObject(value) ?? {};
  return {
    problem: text(summary.problem),
    solution: text(summary.solution),
    overall_assessment: text(summary.overall_assessment ?? summary.assessment),
  };
}

function normalizeDefect(value: unknown): Defect[] {
  if (typeof value === "string") {
    return [
      { severity: "medium", category: "correctness", location: null, description: value, suggestion: "" },
    ];
  }
  const defect = asObject(value);
  if (!defect) return [];
  const severity = text(defect.severity).toLowerCase();
  const location = asObject(defect.location);
  const path = location ? text(location.path ?? location.file) : text(defect.file ?? defect.path);
  return [
    {
      severity: (SEVERITIES as readonly string[]).includes(severity)
        ? (severity as Defect["severity"])
        : "medium",
      category: text(defect.category).toLowerCase() || "correctness",
      location: path
        ? {
            path,
            start_line: lineNumber(location?.start_line ?? location?.line),
            end_line: lineNumber(location?.end_line),
          }
        : null,
      description: text(defect.description ?? defect.issue),
      suggestion: text(defect.suggestion ?? defect.fix),
    },
  ];
}

function lineNumber(value: unknown): number | null {
  const number = typeof value === "string" ? Number.parseInt(value, 10) : value;
  return typeof number === "number" && Number.isInteger(number) ? number : null;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
