import type { ShimName } from "./test-spec.js";

/**
 * A shim is a file put in a folder outside the checkout and prepended to an environment variable.
 * `collections-abc`: a `sitecustomize.py` (Python imports it at startup from `PYTHONPATH`) that gives
 * `collections` back the ABC names (`Mapping`, `Callable`, …) Python 3.10 moved to `collections.abc` only, for
 * code written before then. It only adds names that are missing, so it changes nothing for code that does not
 * need it.
 */
export const SHIMS: Record<ShimName, { file: string; content: string; pathVariable: string }> = {
  "collections-abc": {
    file: "sitecustomize.py",
    pathVariable: "PYTHONPATH",
    content: [
      "# Written by swe-review: old code imports Mapping, Callable, ... from `collections`;",
      "# Python 3.10 keeps them in `collections.abc` only. Put them back where that code looks.",
      "import collections",
      "import collections.abc",
      "",
      "for _name in collections.abc.__all__:",
      "    if not hasattr(collections, _name):",
      "        setattr(collections, _name, getattr(collections.abc, _name))",
      "",
    ].join("\n"),
  },
};
