import { hostname } from "node:os";

/**
 * Labels every container swe-review creates carries, so any later run (`cache prune`) can tell whose it is and
 * whether it may be removed, on any engine.
 */
export const LABELS = {
  /** Marks the container as swe-review's. Value: "1". */
  managed: "io.swe-review.managed",
  /** `<hostname>:<pid>` of the swe-review process that created it. */
  owner: "io.swe-review.owner",
  /** What it is for: a run name, e.g. `review django__django-11049`. */
  run: "io.swe-review.run",
  /** ISO time after which its main process has ended by itself (the wall-time limit). */
  expires: "io.swe-review.expires",
} as const;

/** The owner label of this process. */
export function ownerLabel(pid: number = process.pid): string {
  return `${hostname()}:${pid}`;
}

/** The labels of a container this process creates for `run`, ending by itself after `wallMs`. */
export function containerLabels(run: string, wallMs: number, now: Date = new Date()): Record<string, string> {
  return {
    [LABELS.managed]: "1",
    [LABELS.owner]: ownerLabel(),
    [LABELS.run]: run.slice(0, 200),
    [LABELS.expires]: new Date(now.getTime() + wallMs).toISOString(),
  };
}

/**
 * Whether a container with these labels is left over: its owner on this host is dead, or (whoever owns it) its
 * wall-time limit has passed.
 */
export function isLeftOver(
  labels: Record<string, string> | undefined,
  now: Date = new Date(),
  alive: (pid: number) => boolean = processAlive,
): boolean {
  if (!labels || labels[LABELS.managed] !== "1") return false;
  const expires = Date.parse(labels[LABELS.expires] ?? "");
  if (Number.isFinite(expires) && expires < now.getTime()) return true;
  const [host, pid] = (labels[LABELS.owner] ?? "").split(":");
  if (host !== hostname() || !pid) return false;
  return !alive(Number(pid));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
