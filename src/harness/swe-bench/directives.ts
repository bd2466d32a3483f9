import { patchedFiles } from "../patch-files.js";
import { NON_TEST_EXTENSIONS } from "../specs/directives.js";

/** `diff --git a/<old> b/<new>` headers, as SWE-bench's `get_test_directives` matches them (greedy, per line). */
const DIFF_HEADER = /diff --git a\/.* b\/(.*)/g;

/**
 * The test directives SWE-bench appends to the test command (`get_test_directives`): the new path of every file
 * the test patch's `diff --git` headers name, minus data files (`NON_TEST_EXTENSIONS`); for Django, each written
 * as a module: `.py` and a leading `tests/` dropped, `/` made `.`. Unlike `specs/directives.ts`, Django paths are not
 * narrowed to test modules: SWE-bench passes every one (a test app's `models.py` becomes `app.models`).
 */
export function sweBenchTestDirectives(testPatch: string, style: "paths" | "django-modules"): string[] {
  const directives = [...testPatch.matchAll(DIFF_HEADER)]
    .map((match) => match[1] as string)
    .filter((path) => !NON_TEST_EXTENSIONS.some((extension) => path.endsWith(extension)));
  if (style === "paths") return directives;
  return directives.map((path) => {
    const module = path.endsWith(".py") ? path.slice(0, -3) : path;
    return (module.startsWith("tests/") ? module.slice(6) : module).replaceAll("/", ".");
  });
}

/**
 * The files SWE-bench resets to the base commit before and after the test patch (`get_modified_files`): every file
 * the test patch changes that exists before it (its old path). Files the patch creates are not named, empty ones
 * included (a `new file mode` header with no `---`/`+++` lines, which unidiff reads as created).
 */
export function sweBenchModifiedFiles(testPatch: string, what = "the test patch"): string[] {
  const created = createdFiles(testPatch);
  return patchedFiles(testPatch, what)
    .filter((file) => !file.created && !created.has(file.path))
    .map((file) => file.oldPath);
}

/** The new paths of the files whose git header says `new file mode`. */
function createdFiles(patch: string): Set<string> {
  const created = new Set<string>();
  let current: string | undefined;
  for (const line of patch.split("\n")) {
    const header = /^diff --git a\/.* b\/(.*)$/.exec(line);
    if (header) current = header[1];
    else if (current !== undefined && line.startsWith("new file mode")) created.add(current);
    else if (line.startsWith("@@")) current = undefined;
  }
  return created;
}
