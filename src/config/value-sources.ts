/**
 * Where each resolved configuration value came from: the last layer that set it. Layers merge section by section,
 * key by key (`model.name`), and `sandbox.docker` one level deeper (`sandbox.docker.image`); a value set at that
 * depth replaces the whole of what lower layers had there (so `model.pricing` comes from one layer as a whole).
 */

/** A configuration layer, lowest precedence first: defaults < user < repo < file < env < flags. */
export interface ConfigLayerSource {
  name: "defaults" | "user" | "repo" | "file" | "env" | "flags";
  /** The file, for file layers. */
  path?: string;
}

/** The layer that last set each merged key, by dotted path at the depth layers merge. */
export type ValueSources = Map<string, ConfigLayerSource>;

/** One resolved value (a leaf of the configuration) and the layer it came from. */
export interface SourcedValue {
  /** Dotted path: `model.name`, `sandbox.docker.image`, `model.pricing.input`. */
  path: string;
  value: unknown;
  source: ConfigLayerSource;
}

/** Keys that merge one level deeper than the others (see `mergeLayer` in load.ts). */
const NESTED_MERGE = new Set(["sandbox.docker"]);

/** Records `source` as where every key `layer` sets (undefined values set nothing) came from. */
export function recordLayerSources(sources: ValueSources, layer: object, source: ConfigLayerSource): void {
  for (const [section, values] of Object.entries(layer)) {
    if (!isRecord(values)) continue;
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const path = `${section}.${key}`;
      if (NESTED_MERGE.has(path) && isRecord(value)) {
        for (const [inner, innerValue] of Object.entries(value)) {
          if (innerValue !== undefined) sources.set(`${path}.${inner}`, source);
        }
      } else {
        sources.set(path, source);
      }
    }
  }
}

/**
 * Every leaf of `config` (pass it redacted: values are listed as given) with the layer it came from, in the
 * configuration's own order. A leaf no layer recorded is the defaults'.
 */
export function listSourcedValues(config: object, sources: ValueSources): SourcedValue[] {
  return leaves(config, "").map(({ path, value }) => ({
    path,
    value,
    source: sourceOf(sources, path) ?? { name: "defaults" },
  }));
}

/** How a layer is named to a user: `defaults`, `user file <path>`, `environment`, … */
export function describeLayer(source: ConfigLayerSource): string {
  switch (source.name) {
    case "defaults":
      return "defaults";
    case "user":
      return `user file ${source.path}`;
    case "repo":
      return `repository file ${source.path}`;
    case "file":
      return `--config ${source.path}`;
    case "env":
      return "environment";
    case "flags":
      return "command-line flag";
  }
}

/** The source recorded for `path` or for the nearest key above it. */
function sourceOf(sources: ValueSources, path: string): ConfigLayerSource | undefined {
  const parts = path.split(".");
  for (let length = parts.length; length > 0; length--) {
    const found = sources.get(parts.slice(0, length).join("."));
    if (found) return found;
  }
  return undefined;
}

function leaves(value: unknown, path: string): Array<{ path: string; value: unknown }> {
  if (!isRecord(value)) return path ? [{ path, value }] : [];
  return Object.entries(value).flatMap(([key, item]) =>
    item === undefined ? [] : leaves(item, path ? `${path}.${key}` : key),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
