import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { runCli } from "../helpers/cli.js";
import { APPROVE_REPORT, fixtureFiles, makeFixtureRepo, reviewerScript } from "../helpers/review-fixture.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

/**
 * A generator that plants git configuration in its checkout, from inside the sandbox, to make the host run a
 * command when the candidate is extracted (`git add -A`, `git diff`). Each planted command touches a marker file in
 * a host folder the sandbox cannot see: if the marker exists, something ran on the host.
 */

const servers: MockOpenAIServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** The honest part of every attack: the fix the generator also makes. */
const FIX = `sed -i 's/"lb": 453.592}/"lb": 453.592, "oz": 28.3495}/' /testbed/inventory/units.py`;
const FIXED_LINE = '+FACTORS = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}';

interface Vector {
  name: string;
  /** Shell commands run in /testbed by the agent, before its fix. */
  plant: (scene: Scene) => string;
  /** Paths (prefixes) the attack itself adds to the working tree: part of the candidate, as any file is. */
  planted?: string[];
}

const hook = (marker: string) => `printf '#!/bin/sh\\ntouch ${marker}\\n'`;

const VECTORS: Vector[] = [
  {
    name: "core.fsmonitor",
    plant: ({ marker }) => `git config core.fsmonitor 'touch ${marker}; false'`,
  },
  {
    name: "a post-index-change hook in .git/hooks",
    plant: ({ marker }) =>
      `mkdir -p .git/hooks && ${hook(marker)} > .git/hooks/post-index-change && chmod +x .git/hooks/post-index-change`,
  },
  {
    name: "core.hooksPath pointing into the working tree",
    plant: ({ marker }) =>
      `mkdir -p .githooks && ${hook(marker)} > .githooks/post-index-change && chmod +x .githooks/post-index-change && git config core.hooksPath .githooks`,
    planted: [".githooks/post-index-change"],
  },
  {
    name: "a clean filter named in .gitattributes",
    plant: ({ marker }) =>
      `printf '*.py filter=evil\\n' > .gitattributes && git config filter.evil.clean 'touch ${marker}; cat'`,
    planted: [".gitattributes"],
  },
  {
    name: "a process filter named in .git/info/attributes",
    plant: ({ marker }) =>
      `mkdir -p .git/info && printf '*.py filter=evil\\n' > .git/info/attributes && git config filter.evil.process 'touch ${marker}'`,
  },
  {
    name: "a textconv driver",
    plant: ({ marker }) =>
      `printf '*.py diff=evil\\n' > .gitattributes && git config diff.evil.textconv 'touch ${marker}; cat'`,
    planted: [".gitattributes"],
  },
  {
    name: "an external diff driver and diff.external",
    plant: ({ marker }) =>
      `printf '*.py diff=ext\\n' > .gitattributes && git config diff.ext.command 'touch ${marker}; true' && git config diff.external 'touch ${marker}; true'`,
    planted: [".gitattributes"],
  },
  {
    name: "include.path to a config file the agent wrote",
    plant: ({ marker }) =>
      `printf '[core]\\n\\tfsmonitor = "touch ${marker}; false"\\n' > .git/extra.cfg && git config include.path extra.cfg`,
  },
  {
    name: ".git/commondir pointing at a repository the agent made",
    plant: ({ marker }) =>
      `cp -r .git .common && git --git-dir=.common config core.fsmonitor 'touch ${marker}; false' && echo ../.common > .git/commondir`,
    planted: [".common/"],
  },
  {
    name: "pager, ssh command, credential helper, editor and gpg program",
    plant: ({ marker }) =>
      [
        `git config core.pager 'touch ${marker}; cat'`,
        `git config core.sshCommand 'touch ${marker}'`,
        `git config credential.helper '!touch ${marker}'`,
        `git config core.editor 'touch ${marker}'`,
        `git config sequence.editor 'touch ${marker}'`,
        `git config gpg.program 'touch ${marker}'`,
        `git config core.askPass 'touch ${marker}'`,
      ].join(" && "),
  },
];

function generatorScript(commands: string): ScriptEntry[] {
  return [
    { toolCalls: [{ name: "terminal", arguments: { command: `cd /testbed && ${commands} && ${FIX}` } }] },
    { toolCalls: [{ name: "finish", arguments: { message: "Fixed." } }] },
  ];
}

/**
 * The user's clone, the test's files, and what an attack aims at on the host: a marker path the planted command
 * creates (the sandbox cannot reach it) and a folder holding a secret.
 */
function scene() {
  const { repo, base } = makeFixtureRepo();
  const files = fixtureFiles();
  const secrets = join(files.root, "host-secrets");
  mkdirSync(secrets);
  const secret = "HOST-SECRET-7f3a9c";
  writeFileSync(join(secrets, "token.txt"), `${secret}\n`);
  return { repo, base, files, userRepo: repo.dir, marker: join(files.root, "ran-on-host"), secrets, secret };
}
type Scene = ReturnType<typeof scene>;

/** The files a patch touches, in order. */
function patchFiles(patch: string): string[] {
  return [...patch.matchAll(/^diff --git a\/(\S+) b\//gm)].map((match) => match[1] as string);
}

async function generate(at: Scene, commands: string) {
  const server = await startMockServer({ script: generatorScript(commands) });
  servers.push(server);
  const out = join(at.files.root, "gen");
  const result = await runCli(
    [
      "generate",
      "--repo",
      at.userRepo,
      "--base",
      at.base,
      "--issue",
      at.files.issue,
      "--out",
      out,
      "--generator-base-url",
      server.baseUrl,
    ],
    { env: at.files.env, timeoutMs: 90_000 },
  );
  const patchFile = join(out, "candidate.patch");
  return { result, patch: existsSync(patchFile) ? readFileSync(patchFile, "utf8") : "", out };
}

describe.skipIf(NO_BWRAP)(
  skipTitle("the host never runs git configuration a generator planted in its checkout", NO_BWRAP),
  () => {
    it.each(
      VECTORS,
    )("$name: nothing runs on the host; the candidate is the agent's change", async (vector) => {
      const at = scene();
      const { result, patch } = await generate(at, vector.plant(at));
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(at.marker), `${vector.name} ran on the host`).toBe(false);
      expect(patch).toContain(FIXED_LINE);
      const planted = vector.planted ?? [];
      const own = patchFiles(patch).filter((name) => !planted.some((prefix) => name.startsWith(prefix)));
      expect(own).toEqual(["inventory/units.py"]);
      expect(at.repo.git("status", "--porcelain")).toBe("");
    });

    it("core.worktree pointing at a host folder: the candidate holds the checkout's change, not the host's files", async () => {
      const at = scene();
      const { result, patch } = await generate(at, `git config core.worktree ${at.secrets}`);
      expect(result.code, result.stderr).toBe(0);
      expect(patch).not.toContain(at.secret);
      expect(patchFiles(patch)).toEqual(["inventory/units.py"]);
    });

    it("a .git file pointing at the user's own clone: the clone's index and working tree stay untouched", async () => {
      const at = scene();
      const { result, patch } = await generate(
        at,
        `rm -rf .git && printf 'gitdir: ${at.userRepo}/.git\\n' > .git`,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(patchFiles(patch)).toEqual(["inventory/units.py"]);
      expect(patch).toContain(FIXED_LINE);
      expect(at.repo.git("status", "--porcelain")).toBe("");
      expect(at.repo.git("diff", "--cached", "--name-only")).toBe("");
    });

    it("alternates pointing at an object store the agent forged (a fake base commit): the diff is against the real base", async () => {
      const at = scene();
      // A loose object named like the base commit, whose tree is empty: against it, every file would be "new".
      const forge = [
        "mkdir -p .forged/objects",
        `python3 -c "import zlib, os; b = '${at.base}'; body = b'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\\nauthor x <x@x> 0 +0000\\ncommitter x <x@x> 0 +0000\\n\\nforged\\n'; d = '.forged/objects/' + b[:2]; os.makedirs(d, exist_ok=True); open(d + '/' + b[2:], 'wb').write(zlib.compress(b'commit %d\\0' % len(body) + body))"`,
        "echo ../../.forged/objects > .git/objects/info/alternates",
      ].join(" && ");
      const { result, patch } = await generate(at, forge);
      expect(result.code, result.stderr).toBe(0);
      expect(patch).toContain(FIXED_LINE);
      expect(patchFiles(patch).filter((name) => !name.startsWith(".forged/"))).toEqual([
        "inventory/units.py",
      ]);
    });
  },
);

describe.skipIf(NO_BWRAP)(
  skipTitle("swe-review loop: a generator's planted git configuration never runs on the host", NO_BWRAP),
  () => {
    it("fsmonitor and textconv planted by the generator do not run when its candidate is extracted", async () => {
      const at = scene();
      const generator = await startMockServer({
        script: generatorScript(
          `git config core.fsmonitor 'touch ${at.marker}; false' && printf '*.py diff=evil\\n' > .git/info/attributes && git config diff.evil.textconv 'touch ${at.marker}; cat'`,
        ),
      });
      const reviewer = await startMockServer({ script: reviewerScript(APPROVE_REPORT) });
      servers.push(generator, reviewer);
      const out = join(at.files.root, "loop");
      const result = await runCli(
        [
          "loop",
          "--repo",
          at.userRepo,
          "--base",
          at.base,
          "--issue",
          at.files.issue,
          "--out",
          out,
          "--generator-base-url",
          generator.baseUrl,
          "--reviewer-base-url",
          reviewer.baseUrl,
          "--budget",
          "2",
        ],
        { env: at.files.env, timeoutMs: 180_000 },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(at.marker)).toBe(false);
      expect(readFileSync(join(out, "rounds", "01-generation", "candidate.patch"), "utf8")).toContain(
        FIXED_LINE,
      );
    });
  },
);
