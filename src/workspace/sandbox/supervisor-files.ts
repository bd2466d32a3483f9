import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SweReviewError } from "../../common/errors.js";

/** The compiled supervisor and the package.json that makes Node load it as ESM (both from the installed package). */
export function supervisorFiles(): { dir: string; script: string; packageJson: string } {
  // This file is src/workspace/sandbox/*.ts or dist/workspace/sandbox/*.js: three levels below the package root.
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const script = join(root, "dist", "workspace", "supervisor", "main.js");
  if (!existsSync(script)) {
    throw new SweReviewError(
      "supervisor_missing",
      `The sandbox supervisor ${script} is missing: build the package first (npm run build).`,
    );
  }
  return { dir: dirname(script), script, packageJson: join(root, "package.json") };
}
