import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { debianPackageFor } from "../../src/doctor/host-probes.js";
import { runCli } from "../helpers/cli.js";
import { pythonFixture } from "../helpers/harness-fixtures.js";
import { HAS_BWRAP } from "../helpers/sandbox.js";

describe("swe-review doctor --dataset", () => {
  it("says which instances can run and why the others cannot", async () => {
    const fixture = pythonFixture("demo__calc-1");
    const dir = mkdtempSync(join(tmpdir(), "swe-review-doctor-ds-"));
    const { dataset: _, ...row } = fixture.instance;
    const rows = [
      row,
      { ...row, instance_id: "demo__calc-2", base_commit: "0".repeat(40) },
      { ...row, instance_id: "other__app-1", repo: "other/app" },
      { ...row, instance_id: "demo__py-1", repo: "demo/py" },
    ];
    const dataset = join(dir, "instances.jsonl");
    writeFileSync(dataset, rows.map((item) => JSON.stringify(item)).join("\n"));
    writeFileSync(
      join(dir, "config.yaml"),
      "test:\n  command: '{python} -m pytest -rA {test_files}'\n  parser: pytest\n  python: /nonexistent/python3\n",
    );
    writeFileSync(
      join(dir, ".swe-review.yaml"),
      "test:\n  repo: demo/calc\n  command: 'python3 -m pytest -rA {test_files}'\n  parser: pytest\n",
    );
    const env = { PATH: process.env.PATH ?? "", HOME: dir, XDG_CACHE_HOME: join(dir, "cache") };
    const args = ["doctor", "--dataset", dataset, "--repo", `demo/calc=${fixture.repo.dir}`];
    const text = await runCli([...args, ...(HAS_BWRAP ? [] : ["--sandbox", "local"])], { cwd: dir, env });
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toMatch(/✓ demo__calc-1\n/);
    expect(text.stdout).toContain("✗ demo__calc-2: base commit 000000000000 is not in");
    expect(text.stdout).toContain("✗ other__app-1: no test spec for other/app");

    // Elsewhere, a user spec without a repository covers every repository; its interpreter does not exist.
    const elsewhere = mkdtempSync(join(tmpdir(), "swe-review-doctor-cwd-"));
    const json = await runCli([...args, "--config", join(dir, "config.yaml"), "--json"], {
      cwd: elsewhere,
      env,
    });
    const report = JSON.parse(json.stdout) as {
      instances: { instance_id: string; status: string; reasons: string[] }[];
    };
    const byId = new Map(report.instances.map((item) => [item.instance_id, item]));
    expect(json.code).toBe(1);
    for (const id of ["demo__calc-1", "demo__py-1"]) {
      expect(byId.get(id)?.status).toBe("blocked");
      expect(byId.get(id)?.reasons.join(" ")).toContain("/nonexistent/python3 does not run");
    }
    // demo/py is not cached and has no --repo: fine once fetched, but its interpreter is missing all the same.
    expect(byId.get("demo__py-1")?.reasons).toHaveLength(1);
  });

  it("names Debian's package for a missing module", () => {
    expect(debianPackageFor("mpmath")).toBe("python3-mpmath");
    expect(debianPackageFor("charset_normalizer")).toBe("python3-charset-normalizer");
  });
});
