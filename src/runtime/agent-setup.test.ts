import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TempRepo } from "../../test/helpers/git-repo.js";
import { HAS_BWRAP } from "../../test/helpers/sandbox.js";
import { RepoCache } from "../workspace/repo-cache.js";
import { resolveRepoSource } from "../workspace/repo-source.js";
import { SetupCache } from "../workspace/setup/setup-cache.js";
import { Workspace } from "../workspace/workspace.js";
import { prepareAgentWorkspace, type WorkspaceSetupSettings } from "./agent-setup.js";

/** The repository's committed setup: `sh setup.sh` (its `.swe-review.yaml`), which the tests make hostile. */
const REPO_SETUP = { ".swe-review.yaml": "setup:\n  commands: sh setup.sh\n" };

const workspaces: Workspace[] = [];
afterEach(async () => {
  for (const ws of workspaces.splice(0)) await ws.dispose();
});

async function workspaceAt(repo: TempRepo, base: string, root: string): Promise<Workspace> {
  const ws = await Workspace.create({
    source: resolveRepoSource(repo.dir),
    base,
    cache: new RepoCache(join(root, "repos")),
    root: join(root, "workspaces"),
  });
  workspaces.push(ws);
  return ws;
}

function settings(cacheDir?: string): WorkspaceSetupSettings {
  return { enabled: true, timeoutMs: 60_000, ...(cacheDir ? { cache: new SetupCache(cacheDir) } : {}) };
}

describe.skipIf(!HAS_BWRAP)("prepareAgentWorkspace against a hostile setup (bubblewrap)", () => {
  it("gives the setup's commands none of the agent's environment (an external generator's API key)", async () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-setup-env-"));
    const repo = new TempRepo();
    const base = repo.commit("base", {
      ...REPO_SETUP,
      "setup.sh": 'printf "%s" "$GENERATOR_API_KEY" > leaked.txt\n',
    });
    const ws = await workspaceAt(repo, base, root);
    const sandbox = { kind: "bwrap" as const, env: { GENERATOR_API_KEY: "sk-secret-123" } };
    const setup = await prepareAgentWorkspace(ws, {}, settings(join(root, "setups")), sandbox);
    expect(setup.report).toMatchObject({ source: "repository", restored: false });
    expect(readFileSync(join(ws.testbed, "leaked.txt"), "utf8")).toBe("");
  }, 60_000);
});
