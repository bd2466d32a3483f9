import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missingSharedData, sharedDataDir } from "../../test/helpers/shared-data.js";
import { skipTitle } from "../../test/helpers/skip.js";
import { imageForInstance } from "../assembly/container-options.js";
import { DockerConfigSchema } from "../config/schema.js";
import { ENGINE_HELP } from "../containers/engine.js";
import type { ImageStatus } from "../containers/images.js";
import type { Instance } from "../data/instance.js";
import { loadInstances } from "../data/load.js";
import { type ContainerDoctorContext, type ImageLookup, runContainerDoctor } from "./container-checks.js";
import { renderInstance } from "./render.js";

/** An engine that is a table: names it has, names a registry would serve (with a size or not); the rest missing. */
class TableLookup implements ImageLookup {
  readonly asked: string[] = [];
  constructor(
    private readonly answers: Map<string, ImageStatus>,
    private readonly arch = "amd64",
    readonly where = "unix:///table.sock",
  ) {}
  async architecture(): Promise<string> {
    return this.arch;
  }
  async status(name: string): Promise<ImageStatus> {
    this.asked.push(name);
    return (
      this.answers.get(name) ?? {
        state: "missing",
        why: "not on the engine, and its registry did not answer for it (HTTP 404): manifest unknown",
      }
    );
  }
}

const lite = ((dir) =>
  dir && existsSync(join(dir, "swe-bench-lite/instances.jsonl"))
    ? join(dir, "swe-bench-lite/instances.jsonl")
    : undefined)(sharedDataDir());
/** The configuration's `sandbox.docker` without --image or --image-template: SWE-bench's image names. */
const docker = DockerConfigSchema.parse({});

function context(instances: readonly Instance[], lookup: ImageLookup | Error): ContainerDoctorContext {
  return {
    instances,
    imageFor: (instance) => imageForInstance(instance, docker),
    connect: async () => {
      if (lookup instanceof Error) throw lookup;
      return lookup;
    },
  };
}

function row(id: string, repo: string, version?: string): Instance {
  return {
    instance_id: id,
    repo,
    base_commit: "a".repeat(40),
    problem_statement: "",
    test_patch: "",
    ...(version ? { version } : {}),
    dataset: "swe-bench",
  };
}

const noLite = missingSharedData("swe-bench-lite/instances.jsonl");
describe.skipIf(noLite)(
  skipTitle("doctor --sandbox docker over SWE-bench Lite (../shared/data)", noLite),
  () => {
    it("finds every one of the 300 instances ready or pullable, and covered by SWE-bench's run facts", async () => {
      const instances = await loadInstances(lite as string);
      expect(instances).toHaveLength(300);
      // Every tenth present; the others pullable, every seventh of them without a size.
      const answers = new Map<string, ImageStatus>();
      instances.forEach((instance, index) => {
        const name = imageForInstance(instance, docker);
        answers.set(
          name,
          index % 10 === 0
            ? { state: "present", id: `sha256:${index}`, size: 3e9 }
            : index % 7 === 0
              ? { state: "pullable" }
              : { state: "pullable", size: 1.5e9 },
        );
      });
      const lookup = new TableLookup(answers);
      const report = await runContainerDoctor(context(instances, lookup));
      const counts = { ready: 0, needs_network: 0, blocked: 0 };
      for (const item of report.instances) counts[item.status]++;
      expect(counts).toEqual({ ready: 30, needs_network: 270, blocked: 0 });
      expect(report.instances.every((item) => item.run_facts)).toBe(true);
      expect(report.instances[0]?.image).toEqual({
        name: "swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest",
        state: "ready",
        size: 3e9,
      });
      // Indexes 1..299 not divisible by 10: 270; of those divisible by 7 (and not by 10): 43 without a size.
      const unknown = instances.filter((_, index) => index % 10 !== 0 && index % 7 === 0).length;
      expect(report.pull_sizes_unknown).toBe(unknown);
      expect(report.pull_bytes).toBe((270 - unknown) * 1.5e9);
      const byId = new Map(report.results.map((result) => [result.id, result]));
      expect(byId.get("images")?.summary).toBe(
        `300 images on unix:///table.sock: 30 ready, 270 need pull, 0 missing; pulling needs ${((270 - unknown) * 1.5).toFixed(2)} GB (${270 - unknown} of 270 sizes known)`,
      );
      expect(byId.get("run-facts")).toMatchObject({
        status: "ok",
        summary: "SWE-bench's run facts cover all 300 instances",
      });
      expect(byId.get("instances")?.summary).toBe("30 of 300 can run here, 270 once their image is pulled");
      expect(report.healthy).toBe(true);
      expect(new Set(lookup.asked).size).toBe(300);
    });
  },
);

describe("runContainerDoctor", () => {
  const instances = [
    row("django__django-11099", "django/django", "3.0"),
    row("sympy__sympy-20590", "sympy/sympy", "1.7"),
    row("other__app-1", "other/app", "0.1"),
    row("sympy__sympy-1", "sympy/sympy"),
  ];

  it("says per instance: ready, needs pull (with its size), missing (why), and uncovered by the run facts", async () => {
    const name = (instance: Instance) => imageForInstance(instance, docker);
    const lookup = new TableLookup(
      new Map<string, ImageStatus>([
        [name(instances[0] as Instance), { state: "present", id: "sha256:1" }],
        [name(instances[1] as Instance), { state: "pullable", size: 2_345_678_901 }],
        [name(instances[3] as Instance), { state: "pullable" }],
      ]),
    );
    const report = await runContainerDoctor(context(instances, lookup));
    expect(report.instances.map(renderInstance)).toEqual([
      "✓ django__django-11099: image swebench/sweb.eval.x86_64.django_1776_django-11099:latest ready\n",
      "! sympy__sympy-20590: image swebench/sweb.eval.x86_64.sympy_1776_sympy-20590:latest needs pull (2.35 GB)\n",
      "✗ other__app-1: image swebench/sweb.eval.x86_64.other_1776_app-1:latest missing: not on the engine, and its registry did not answer for it (HTTP 404): manifest unknown; SWE-bench's run facts have no test command for other/app 0.1\n",
      "✗ sympy__sympy-1: SWE-bench's run facts have no test command for sympy/sympy (the row has no version)\n",
    ]);
    expect(report.instances[3]).toMatchObject({
      status: "blocked",
      run_facts: false,
      image: { state: "needs_pull", name: "swebench/sweb.eval.x86_64.sympy_1776_sympy-1:latest" },
    });
    expect(report.results.map((result) => [result.id, result.status])).toEqual([
      ["dataset", "ok"],
      ["engine", "ok"],
      ["images", "fail"],
      ["run-facts", "fail"],
      ["instances", "fail"],
    ]);
    expect(report.results.find((result) => result.id === "images")?.summary).toBe(
      "4 images on unix:///table.sock: 1 ready, 2 need pull, 1 missing; pulling needs 2.35 GB (1 of 2 sizes known)",
    );
    expect(report).toMatchObject({
      healthy: false,
      engine_found: true,
      pull_bytes: 2_345_678_901,
      pull_sizes_unknown: 1,
    });
  });

  it("asks once per image when every instance shares one", async () => {
    const lookup = new TableLookup(new Map([["mirror/one:latest", { state: "present", id: "sha256:1" }]]));
    const report = await runContainerDoctor({
      ...context(instances.slice(0, 2), lookup),
      imageFor: () => "mirror/one:latest",
    });
    expect(lookup.asked).toEqual(["mirror/one:latest"]);
    expect(report.results.find((result) => result.id === "images")?.summary).toBe(
      "1 image for 2 instances on unix:///table.sock: 1 ready, 0 need pull, 0 missing",
    );
    expect(report.instances.map((item) => item.status)).toEqual(["ready", "ready"]);
  });

  it("says plainly on an arm64 engine that SWE-bench publishes x86_64 images only", async () => {
    const report = await runContainerDoctor(
      context(instances.slice(0, 2), new TableLookup(new Map(), "arm64")),
    );
    const engine = report.results.find((result) => result.id === "engine");
    expect(engine?.status).toBe("warn");
    expect(engine?.summary).toBe(
      "unix:///table.sock runs on arm64, and SWE-bench publishes x86_64 images only: 2 of 2 instances' images would run only under x86_64 emulation (slow, if it is set up at all)",
    );
  });

  it("without an engine: one failed check saying what was tried, the fix how to get one, the images skipped", async () => {
    const tried =
      "No container engine found: DOCKER_HOST is not set and none of unix:///var/run/docker.sock exists.";
    const report = await runContainerDoctor(
      context(instances.slice(0, 1), new Error(`${tried} ${ENGINE_HELP}`)),
    );
    expect(report.results.find((result) => result.id === "engine")).toMatchObject({
      status: "fail",
      summary: tried,
      fix: ENGINE_HELP,
    });
    expect(report.results.find((result) => result.id === "images")?.status).toBe("skip");
    expect(report.engine_found).toBe(false);
    expect(report.instances[0]).toMatchObject({ status: "blocked", reasons: ["no container engine"] });
  });
});
