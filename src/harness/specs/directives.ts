import { posix } from "node:path";
import { patchedFiles } from "../patch-files.js";

/**
 * Files SWE-bench never passes to a test command: a test patch's data and fixture files. (`csv` has no dot in
 * SWE-bench's list, so any name ending in `csv` counts.)
 */
export const NON_TEST_EXTENSIONS = [
  ".json",
  ".png",
  "csv",
  ".txt",
  ".md",
  ".jpg",
  ".jpeg",
  ".pkl",
  ".yml",
  ".yaml",
  ".toml",
] as const;

/** How a test command names what to run: file paths, or Django's dotted test modules. */
export type TestFileStyle = "paths" | "django-modules";

/**
 * The test directives SWE-bench derives from a test patch: every file it touches except data files; for Django,
 * only test modules (`tests.py`, `test_*`, anything under a `tests/` folder below the top), written as module paths
 * without the leading `tests/` (`tests/admin_views/test_forms.py` → `admin_views.test_forms`).
 */
export function testDirectives(testPatch: string, style: TestFileStyle = "paths", what?: string): string[] {
  const files = patchedFiles(testPatch, what)
    .map((file) => file.path)
    .filter((path) => !NON_TEST_EXTENSIONS.some((extension) => path.endsWith(extension)));
  if (style === "paths") return files;
  return files.filter(isDjangoTestFile).map((path) =>
    path
      .replace(/\.py$/, "")
      .replace(/^tests\//, "")
      .replaceAll("/", "."),
  );
}

function isDjangoTestFile(path: string): boolean {
  const name = posix.basename(path);
  return (
    name === "tests.py" || name.startsWith("test_") || path.includes("/tests/") || path.includes("/test_")
  );
}
