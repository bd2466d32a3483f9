import { existsSync, lstatSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TempRepo } from "../../test/helpers/git-repo.js";
import { NO_BWRAP } from "../../test/helpers/sandbox.js";
import { skipTitle } from "../../test/helpers/skip.js";
import { extractCandidateDiff } from "../generate/candidate-diff.js";
import { RepoCache } from "../workspace/repo-cache.js";
import { resolveRepoSource } from "../workspace/repo-source.js";
import { openSandbox } from "../workspace/sandbox/open.js";
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

describe.skipIf(NO_BWRAP)(
  skipTitle("prepareAgentWorkspace against a hostile setup (bubblewrap)", NO_BWRAP),
  () => {
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

    it("never restores one commit's or repository's setup into another with the same manifests", async () => {
      const root = mkdtempSync(join(tmpdir(), "swe-review-setup-poison-"));
      const cacheDir = join(root, "setups");
      const manifests = { "requirements.txt": "\n", "package.json": '{"name": "same"}\n' };
      // The same lockfiles and the same setup command; the script it runs (not a manifest) differs.
      const setupScript = (word: string) =>
        `mkdir -p deps && echo ${word} > deps/lib.txt && echo "# ${word}" >> app.py\n`;
      const victim = new TempRepo();
      const good = victim.commit("good", {
        ...REPO_SETUP,
        ...manifests,
        "app.py": "x = 1\n",
        "setup.sh": setupScript("good"),
      });
      const hostile = new TempRepo();
      const evil = hostile.commit("evil", {
        ...REPO_SETUP,
        ...manifests,
        "app.py": "x = 1\n",
        "setup.sh": setupScript("evil"),
      });
      const evilLater = victim.commit("a hostile commit of the victim's own repository", {
        "setup.sh": setupScript("evil"),
      });
      for (const [repo, commit] of [
        [hostile, evil],
        [victim, evilLater],
      ] as const) {
        const poisoner = await workspaceAt(repo, commit, root);
        await prepareAgentWorkspace(poisoner, {}, settings(cacheDir), { kind: "bwrap" });
      }

      const ws = await workspaceAt(victim, good, root);
      const setup = await prepareAgentWorkspace(ws, {}, settings(cacheDir), { kind: "bwrap" });
      expect(setup.report?.restored).toBe(false);
      expect(readFileSync(join(ws.testbed, "deps", "lib.txt"), "utf8")).toBe("good\n");
      expect(readFileSync(join(ws.testbed, "app.py"), "utf8")).toBe("x = 1\n# good\n");

      // The same commit again is what the cache is for.
      const again = await workspaceAt(victim, good, root);
      const restored = await prepareAgentWorkspace(again, {}, settings(cacheDir), { kind: "bwrap" });
      expect(restored.report?.restored).toBe(true);
      expect(readFileSync(join(again.testbed, "deps", "lib.txt"), "utf8")).toBe("good\n");
    }, 120_000);

    it("does not hang on a FIFO the setup left at .git/info/exclude, and keeps none of the setup's own patterns there", async () => {
      const root = mkdtempSync(join(tmpdir(), "swe-review-setup-exclude-"));
      const repo = new TempRepo();
      for (const script of [
        // A FIFO, which git in the setup's own sandbox never opens: the checkout's repository moved to the sandbox's
        // root (git finds it from /testbed once /testbed/.git is no repository), the FIFO where it was.
        "mkdir -p deps && echo x > deps/a && mv .git /.git && git --git-dir=/.git config core.worktree /testbed\n" +
          "mkdir -p .git/info && mkfifo .git/info/exclude\n",
        "mkdir -p deps && echo x > deps/a && printf '*\\n' > .git/info/exclude\n",
        // A hard link to a tracked file: appending through it would edit the checkout.
        "mkdir -p deps && echo x > deps/a && rm -f .git/info/exclude && ln app.py .git/info/exclude\n",
      ]) {
        const base = repo.commit("base", { ...REPO_SETUP, "app.py": "x = 1\n", "setup.sh": script });
        const ws = await workspaceAt(repo, base, root);
        const setup = await prepareAgentWorkspace(ws, {}, settings(join(root, "setups")), { kind: "bwrap" });
        expect(setup.created).toEqual(["deps"]);
        const exclude = join(ws.testbed, ".git", "info", "exclude");
        expect(lstatSync(exclude).isFile()).toBe(true);
        expect(lstatSync(exclude).nlink).toBe(1);
        const patterns = readFileSync(exclude, "utf8")
          .split("\n")
          .filter((line) => line && !line.startsWith("#"));
        expect(patterns).toEqual(["/deps"]);
        expect(readFileSync(join(ws.testbed, "app.py"), "utf8")).toBe("x = 1\n");
        // The agent's new file is its candidate's.
        writeFileSync(join(ws.testbed, "fix.py"), "fixed = True\n");
        const { patch } = await extractCandidateDiff(ws, setup);
        expect(patch).toContain("+++ b/fix.py");
        expect(patch).not.toContain("deps/");
      }
    }, 120_000);

    it("leaves nothing of the setup running once the agent's workspace is ready", async () => {
      const root = mkdtempSync(join(tmpdir(), "swe-review-setup-daemon-"));
      const repo = new TempRepo();
      const base = repo.commit("base", {
        ...REPO_SETUP,
        "setup.sh":
          "setsid nohup sh -c 'sleep 2; echo late > /testbed/late.txt' > /dev/null 2>&1 &\n" +
          "(sleep 2; echo late > /testbed/late2.txt) > /dev/null 2>&1 &\n",
      });
      const ws = await workspaceAt(repo, base, root);
      await prepareAgentWorkspace(ws, {}, settings(join(root, "setups")), { kind: "bwrap" });
      await new Promise((resolve) => setTimeout(resolve, 3500));
      expect(existsSync(join(ws.testbed, "late.txt"))).toBe(false);
      expect(existsSync(join(ws.testbed, "late2.txt"))).toBe(false);
    }, 60_000);

    it("leaves what the setup made out of the candidate, but not the agent's fix in a folder the setup made", async () => {
      const root = mkdtempSync(join(tmpdir(), "swe-review-setup-folder-"));
      const repo = new TempRepo();
      const base = repo.commit("base", {
        ...REPO_SETUP,
        "app.py": "x = 1\n",
        "setup.sh": "mkdir -p plugins/generated && echo 'made = 1' > plugins/generated/made.py\n",
      });
      const ws = await workspaceAt(repo, base, root);
      const setup = await prepareAgentWorkspace(ws, {}, settings(join(root, "setups")), { kind: "bwrap" });
      expect(setup.created).toEqual(["plugins"]);
      const box = await openSandbox(ws, { kind: "bwrap" });
      try {
        const agent = await box.files.run(
          ["sh", "-c", "echo 'fixed = 1' > plugins/fix.py && echo 'y = 2' >> app.py && git status --short"],
          { cwd: box.paths.testbed },
        );
        // The agent's own git leaves the setup's folder out whole (its fix in there too); the candidate does not.
        expect(agent.stdout.trim()).toBe("M app.py");
      } finally {
        await box.close();
      }
      const { patch } = await extractCandidateDiff(ws, setup);
      expect(patch).toContain("+++ b/plugins/fix.py");
      expect(patch).toContain("+++ b/app.py");
      expect(patch).not.toContain("made.py");
    }, 60_000);

    it("knows what the setup made without a cache too", async () => {
      const root = mkdtempSync(join(tmpdir(), "swe-review-setup-nocache-"));
      const repo = new TempRepo();
      const base = repo.commit("base", { ...REPO_SETUP, "setup.sh": "mkdir -p deps && echo x > deps/a\n" });
      const ws = await workspaceAt(repo, base, root);
      const setup = await prepareAgentWorkspace(ws, {}, settings(), { kind: "bwrap" });
      expect(setup.created).toEqual(["deps"]);
      writeFileSync(join(ws.testbed, "fix.py"), "fixed = True\n");
      const { patch } = await extractCandidateDiff(ws, setup);
      expect(patch).toContain("+++ b/fix.py");
      expect(patch).not.toContain("deps/a");
    }, 60_000);

    it("takes no tracked path for the setup's, and copes with more paths than a command line holds", async () => {
      const root = mkdtempSync(join(tmpdir(), "swe-review-setup-many-"));
      const repo = new TempRepo();
      const base = repo.commit("base", {
        ...REPO_SETUP,
        "src/app.py": "x = 1\n",
        // Its index gone, git in the sandbox shows every file as new.
        "setup.sh":
          "rm .git/index && i=0 && while [ $i -lt 40000 ]; do i=$((i+1)); : > made-by-the-setup-with-a-long-name-$i.txt; done\n",
      });
      const ws = await workspaceAt(repo, base, root);
      const setup = await prepareAgentWorkspace(ws, {}, settings(join(root, "setups")), { kind: "bwrap" });
      expect(setup.created).toHaveLength(40000);
      expect(setup.created.filter((path) => !path.startsWith("made-by-the-setup"))).toEqual([]);
    }, 120_000);
  },
);
