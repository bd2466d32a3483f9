import { existsSync } from "node:fs";
import { errorMessage } from "../common/errors.js";
import type { TestConfig } from "../config/schema.js";
import type { Instance } from "../data/instance.js";
import { findTestSpec } from "../harness/specs/resolve.js";
import type { TestSpec } from "../harness/specs/test-spec.js";
import type { RepoCache } from "../workspace/repo-cache.js";
import { datasetRepoSource, type RepoOverrides } from "../workspace/repo-source.js";
import { findBwrap } from "../workspace/sandbox/bwrap.js";
import type { Check, CheckOutcome, CheckResult } from "./check.js";
import {
  debianPackageFor,
  findExecutable,
  hostPath,
  missingCommits,
  probePython,
  SANDBOX_SEARCH_PATH,
} from "./host-probes.js";

const HARNESS_PROGRAMS = ["bash", "git", "patch"];

/** What the dataset checks work on. */
export interface DatasetContext {
  instances: readonly Instance[];
  testConfig?: TestConfig;
  overrides: RepoOverrides;
  cache: RepoCache;
  sandboxKind: "bwrap" | "local";
  env: NodeJS.ProcessEnv;
}

/** Instance id → why it cannot run here (`blocked`) or what it needs first (`needsNetwork`), per check. */
type Reasons = Record<string, string>;

/** Whether each instance can be verified on this machine, and if not, what is missing. */
export interface InstanceReadiness {
  instance_id: string;
  status: "ready" | "needs_network" | "blocked";
  reasons: string[];
  /** `--sandbox docker`: the instance's image and whether the engine has it, could pull it, or neither (why). */
  image?: InstanceImage;
  /** `--sandbox docker`: whether SWE-bench's run facts (its test command) cover the repository at this version. */
  run_facts?: boolean;
}

/** An instance's image as `doctor --sandbox docker` found it. `size` in bytes, when known. */
export interface InstanceImage {
  name: string;
  state: "ready" | "needs_pull" | "missing";
  size?: number;
  why?: string;
}

export function datasetChecks(): Check<DatasetContext>[] {
  return [
    { id: "dataset", title: "dataset", run: async (context) => describeDataset(context) },
    { id: "sandbox", title: "sandbox", run: async (context) => checkSandbox(context) },
    { id: "test-specs", title: "test specs", run: async (context) => checkSpecs(context) },
    { id: "interpreters", title: "interpreters", run: checkInterpreters },
    { id: "executables", title: "programs", run: async (context) => checkExecutables(context) },
    { id: "repositories", title: "repositories", run: checkRepositories },
    { id: "instances", title: "instances", run: async (context, earlier) => summarise(context, earlier) },
  ];
}

/** The dataset's size and repositories (shared by the container checks). */
export function describeDataset({ instances }: { instances: readonly Instance[] }): CheckOutcome {
  const repos = countBy(instances, (instance) => instance.repo);
  return {
    status: "ok",
    summary: `${instances.length} instances of ${repos.size} repositories (${[...repos].map(([repo, n]) => `${repo}: ${n}`).join(", ")})`,
  };
}

function checkSandbox({ sandboxKind, env }: DatasetContext): CheckOutcome {
  if (sandboxKind === "local") {
    return {
      status: "warn",
      summary: "local: tests run without isolation",
      fix: "Install bubblewrap and drop --sandbox local.",
    };
  }
  try {
    return { status: "ok", summary: `bubblewrap at ${findBwrap(env)}` };
  } catch (error) {
    return { status: "fail", summary: errorMessage(error), fix: "apt-get install -y bubblewrap" };
  }
}

function checkSpecs(context: DatasetContext): CheckOutcome {
  const blocked: Reasons = {};
  for (const instance of context.instances) {
    if (!specOf(context, instance)) blocked[instance.instance_id] = `no test spec for ${instance.repo}`;
  }
  const repos = [...new Set(context.instances.filter((i) => blocked[i.instance_id]).map((i) => i.repo))];
  if (repos.length === 0) return { status: "ok", summary: "every instance's repository has a test spec" };
  return {
    status: "fail",
    summary: `no test spec for ${repos.join(", ")} (${Object.keys(blocked).length} instances)`,
    fix: "Add `test: {repo, command, parser, setup}` to .swe-review.yaml for each, or leave them out with --instances.",
    details: { blocked },
  };
}

async function checkInterpreters(context: DatasetContext): Promise<CheckOutcome> {
  const byPython = new Map<string, { modules: Set<string>; instances: Instance[] }>();
  for (const instance of context.instances) {
    const spec = specOf(context, instance);
    if (!spec || !usesPython(spec)) continue;
    const entry = byPython.get(spec.python) ?? { modules: new Set(), instances: [] };
    for (const module of spec.requires.pythonModules) entry.modules.add(module);
    entry.instances.push(instance);
    byPython.set(spec.python, entry);
  }
  if (byPython.size === 0) return { status: "ok", summary: "no instance needs Python" };
  const blocked: Reasons = {};
  const found: string[] = [];
  const packages = new Set<string>();
  for (const [python, { modules, instances }] of byPython) {
    const probe = await probePython(python, [...modules]);
    if (probe.error) {
      for (const instance of instances)
        blocked[instance.instance_id] = `${python} does not run: ${probe.error}`;
      found.push(`${python} missing`);
      continue;
    }
    found.push(`${python} ${probe.version}`);
    for (const instance of instances) {
      const spec = specOf(context, instance) as TestSpec;
      const missing = spec.requires.pythonModules.filter((module) => probe.missingModules.includes(module));
      if (missing.length > 0) blocked[instance.instance_id] = `${python} cannot import ${missing.join(", ")}`;
      for (const module of missing) packages.add(debianPackageFor(module));
    }
  }
  if (Object.keys(blocked).length === 0) {
    return { status: "ok", summary: `${found.join("; ")}, with every module the specs name` };
  }
  return {
    status: "fail",
    summary: `${found.join("; ")}; ${Object.keys(blocked).length} instances lack what they need`,
    fix:
      packages.size > 0
        ? `apt-get install -y ${[...packages].join(" ")} (or set test.python to an interpreter that has them)`
        : "Install the interpreter, or set test.python in .swe-review.yaml.",
    details: { blocked },
  };
}

function checkExecutables(context: DatasetContext): CheckOutcome {
  const path = context.sandboxKind === "local" ? hostPath(context.env) : SANDBOX_SEARCH_PATH;
  const blocked: Reasons = {};
  const missing = new Set<string>();
  const needed = new Set<string>();
  for (const instance of context.instances) {
    const spec = specOf(context, instance);
    // The harness's own: git and patch apply the patches, tar packs and unpacks cached setups.
    const programs = [
      ...HARNESS_PROGRAMS,
      ...(spec?.setup.length ? ["tar"] : []),
      ...(spec?.requires.executables ?? []),
    ];
    const absent = programs.filter((name) => {
      needed.add(name);
      return !findExecutable(name, path);
    });
    for (const name of absent) missing.add(name);
    if (absent.length > 0)
      blocked[instance.instance_id] = `${absent.join(", ")} not found in ${path.join(":")}`;
  }
  if (missing.size === 0) {
    return { status: "ok", summary: `found ${[...needed].join(", ")}` };
  }
  return {
    status: "fail",
    summary: `${[...missing].join(", ")} not found where sandboxed commands look (${path.join(":")})`,
    fix: `Install them under /usr (Debian: apt-get install -y ${[...missing].join(" ")}), or add their folder to sandbox.readOnly.`,
    details: { blocked },
  };
}

async function checkRepositories(context: DatasetContext): Promise<CheckOutcome> {
  const blocked: Reasons = {};
  const needsNetwork: Reasons = {};
  const lines: string[] = [];
  for (const [repo, instances] of groupBy(context.instances, (instance) => instance.repo)) {
    const commits = [...new Set(instances.map((instance) => instance.base_commit))];
    const override = context.overrides.get(repo);
    try {
      const source = datasetRepoSource(repo, context.overrides);
      const mirror = context.cache.mirrorPath(source);
      const dir = override ?? (existsSync(mirror) ? mirror : undefined);
      if (!dir) {
        lines.push(
          `${repo}: not cached; cloned from ${source.kind === "url" ? source.url : source.path} on first use`,
        );
        for (const instance of instances)
          needsNetwork[instance.instance_id] = `${repo} is cloned on first use`;
        continue;
      }
      const missing = new Set(await missingCommits(dir, commits));
      lines.push(
        `${repo}: ${override ? "--repo" : "cached mirror"} ${dir} has ${commits.length - missing.size}/${commits.length} base commits`,
      );
      for (const instance of instances) {
        if (!missing.has(instance.base_commit)) continue;
        const reason = `base commit ${instance.base_commit.slice(0, 12)} is not in ${dir}`;
        if (override) blocked[instance.instance_id] = reason;
        else needsNetwork[instance.instance_id] = `${reason} (fetched on first use)`;
      }
    } catch (error) {
      lines.push(`${repo}: ${errorMessage(error)}`);
      for (const instance of instances) blocked[instance.instance_id] = errorMessage(error);
    }
  }
  const status =
    Object.keys(blocked).length > 0 ? "fail" : Object.keys(needsNetwork).length > 0 ? "warn" : "ok";
  return {
    status,
    summary: lines.join("; "),
    ...(status === "ok"
      ? {}
      : {
          fix: "Point at a local clone that has the base commits with --repo owner/name=/path, or allow network access.",
        }),
    details: { blocked, needsNetwork },
  };
}

function summarise(context: DatasetContext, earlier: ReadonlyMap<string, CheckResult>): CheckOutcome {
  const sandboxFailed = earlier.get("sandbox")?.status === "fail";
  const readiness: InstanceReadiness[] = context.instances.map((instance) => {
    const id = instance.instance_id;
    const reasons: string[] = sandboxFailed ? ["no sandbox"] : [];
    let network: string | undefined;
    for (const result of earlier.values()) {
      const details = result.details as { blocked?: Reasons; needsNetwork?: Reasons } | undefined;
      const reason = details?.blocked?.[id];
      if (reason) reasons.push(reason);
      network ??= details?.needsNetwork?.[id];
    }
    return readinessOf({ instance_id: id }, reasons, network);
  });
  return readinessOutcome(readiness, "once their repository is fetched");
}

/** An instance is blocked when anything stops it, else needs the network when something must be fetched first. */
export function readinessOf(
  instance: Omit<InstanceReadiness, "status" | "reasons">,
  reasons: string[],
  network: string | undefined,
): InstanceReadiness {
  if (reasons.length > 0) return { ...instance, status: "blocked", reasons };
  return network
    ? { ...instance, status: "needs_network", reasons: [network] }
    : { ...instance, status: "ready", reasons: [] };
}

/**
 * The `instances` check: fails when any instance is blocked, warns when some need the network first (`onceFetched`
 * says for what), and lists every instance's readiness.
 */
export function readinessOutcome(readiness: InstanceReadiness[], onceFetched: string): CheckOutcome {
  const count = (status: InstanceReadiness["status"]) =>
    readiness.filter((item) => item.status === status).length;
  const [ready, network, blocked] = [count("ready"), count("needs_network"), count("blocked")];
  return {
    status: blocked > 0 ? "fail" : network > 0 ? "warn" : "ok",
    summary: `${ready} of ${readiness.length} can run here${network ? `, ${network} ${onceFetched}` : ""}${blocked ? `, ${blocked} cannot` : ""}`,
    details: { instances: readiness },
  };
}

function specOf(context: DatasetContext, instance: Instance): TestSpec | undefined {
  return findTestSpec(instance, context.testConfig);
}

function usesPython(spec: TestSpec): boolean {
  return spec.command.includes("{python}") || spec.requires.pythonModules.length > 0;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  return new Map([...groupBy(items, key)].map(([name, group]) => [name, group.length]));
}
