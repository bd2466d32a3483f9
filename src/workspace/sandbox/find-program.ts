import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { SweReviewError } from "../../common/errors.js";

/** The programs that drop to the sandbox's user: `setpriv` (util-linux). */
export function findProgram(name: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new SweReviewError(
    "sandbox_unavailable",
    `${name} is not installed, and as root the sandbox needs it to run agents as an unprivileged user. ` +
      "Install util-linux (Debian/Ubuntu: apt-get install util-linux), or run swe-review as an ordinary user.",
    { exitCode: 3 },
  );
}
