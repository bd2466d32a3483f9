import { LABELS } from "../../src/containers/container-labels.js";
import type { Engine } from "../../src/containers/engine.js";

/** The containers (any state) labelled as made for `run` (e.g. `review demo__inventory-1`). */
export async function containersOf(docker: Engine["docker"], run: string) {
  return docker.listContainers({ all: true, filters: { label: [`${LABELS.run}=${run}`] } });
}

/** Polls `check` until it holds or `timeoutMs` passes; the last answer. */
export async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}
