import { InputError } from "../../common/errors.js";
/** The fields of a dataset row an image name is made from (SWE-bench's, or Multi-SWE-bench's `org/repo/number`). */
export interface ImageRow {
  instance_id: string;
  /** The image the dataset names for the row; used as is. */
  image_name?: string | undefined;
  /** Multi-SWE-bench: the GitHub owner. */
  org?: string | undefined;
  /** Multi-SWE-bench: the repository's name alone (SWE-bench's `owner/name` when `org` is absent). */
  repo?: string | undefined;
  /** Multi-SWE-bench: the pull request's number. */
  number?: number | string | undefined;
}

/** SWE-bench's name of an instance image, with `{id}` for its Docker-safe id. */
export const SWE_BENCH_IMAGE_TEMPLATE = "swebench/sweb.eval.{arch}.{id}:latest";
/** Multi-SWE-bench's name of an instance image. */
export const MULTI_SWE_BENCH_IMAGE_TEMPLATE = "mswebench/{org}_m_{repo}:pr-{number}";

/**
 * An instance id as SWE-bench's image names write it: lowercased, and `__` (which Docker Hub refuses) written
 * `_1776_`: `django__django-11099` → `django_1776_django-11099`.
 */
export function dockerSafeId(instanceId: string): string {
  return instanceId.toLowerCase().replaceAll("__", "_1776_");
}

/**
 * The image an instance's tests run in: the row's `image_name` when it has one; else `template` filled in, when
 * given (a private mirror); else Multi-SWE-bench's name for a row with `org`, `repo` and `number`, and SWE-bench's
 * (`swebench/sweb.eval.x86_64.<id>:latest`) for any other. Placeholders: `{id}` (the Docker-safe id),
 * `{instance_id}`, `{org}`, `{repo}`, `{number}`, `{arch}` (default `x86_64`). Multi-SWE-bench names are lowercased.
 */
export function instanceImageName(row: ImageRow, template?: string, arch = "x86_64"): string {
  if (row.image_name) return row.image_name;
  const multi = row.org !== undefined && row.repo !== undefined && row.number !== undefined;
  const values: Record<string, string> = {
    id: dockerSafeId(row.instance_id),
    instance_id: row.instance_id,
    org: multi ? String(row.org).toLowerCase() : "",
    repo: multi ? String(row.repo).toLowerCase() : (row.repo ?? ""),
    number: row.number === undefined ? "" : String(row.number),
    arch,
  };
  const pattern = template ?? (multi ? MULTI_SWE_BENCH_IMAGE_TEMPLATE : SWE_BENCH_IMAGE_TEMPLATE);
  return pattern.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new InputError(
        "image_template_invalid",
        `The image template ${pattern} has {${name}}, which is not a placeholder. Use {id}, {instance_id}, {org}, {repo}, {number} or {arch}.`,
      );
    }
    if (value === "") {
      throw new InputError(
        "image_template_invalid",
        `The image template ${pattern} uses {${name}}, which ${row.instance_id} has no value for ` +
          "({org} and {number} are Multi-SWE-bench's; SWE-bench rows have {id}, {instance_id} and {repo}). " +
          "Change --image-template, or give the rows an image_name.",
      );
    }
    return value;
  });
}
