import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findEngine } from "./engine.js";
import { ensureImage, imageStatus, removeImage } from "./images.js";
import { PulledImages } from "./pulled-images.js";

/**
 * A small Docker Engine API on 127.0.0.1, just enough for pulls: image inspect, `POST /images/create` answering
 * a scripted list of statuses, image removal, `/version` and `/distribution`. Nothing else is ever contacted.
 */
interface FakeEngine {
  port: number;
  /** Each pull's answer in turn: an HTTP status; 200 streams a two-layer pull (or `streamError` if set). */
  pulls: number[];
  streamError?: string;
  arch: string;
  images: Map<string, string>;
  /** Answer `/distribution` as Podman does: a plain-text 404 (no such route). */
  noDistribution?: boolean;
  requests: string[];
  server: Server;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function fakeEngine(pulls: number[], arch = "amd64"): Promise<FakeEngine> {
  const state = { pulls, arch, images: new Map<string, string>(), requests: [] as string[] } as FakeEngine;
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  state.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname).replace(/^\/v[\d.]+/, "");
    state.requests.push(`${req.method} ${path}${url.search}`);
    const inspect = /^\/images\/(.+)\/json$/.exec(path);
    if (req.method === "GET" && inspect?.[1]) {
      const id = state.images.get(inspect[1]);
      return id
        ? json(res, 200, { Id: id, Size: 1234 })
        : json(res, 404, { message: `No such image: ${inspect[1]}` });
    }
    if (req.method === "POST" && path === "/images/create") {
      const status = state.pulls.shift() ?? 500;
      const name = `${url.searchParams.get("fromImage")}:${url.searchParams.get("tag")}`;
      if (status === 404)
        return json(res, 404, { message: `pull access denied for ${name}, repository does not exist` });
      if (status !== 200)
        return json(res, status, { message: status === 429 ? "toomanyrequests: slow down" : "boom" });
      res.writeHead(200, { "content-type": "application/json" });
      if (state.streamError) {
        res.end(
          `${JSON.stringify({ errorDetail: { message: state.streamError }, error: state.streamError })}\n`,
        );
        return;
      }
      for (const id of ["aaa", "bbb"]) {
        res.write(`${JSON.stringify({ status: "Pulling fs layer", id })}\n`);
        res.write(
          `${JSON.stringify({ status: "Downloading", id, progressDetail: { current: 4_000_000, total: 10_000_000 } })}\n`,
        );
        res.write(`${JSON.stringify({ status: "Pull complete", id })}\n`);
      }
      state.images.set(name, "sha256:pulled");
      res.end(`${JSON.stringify({ status: `Status: Downloaded newer image for ${name}` })}\n`);
      return;
    }
    const remove = /^\/images\/(.+)$/.exec(path);
    if (req.method === "DELETE" && remove?.[1]) {
      for (const [name, id] of state.images)
        if (id === remove[1] || name === remove[1]) state.images.delete(name);
      return json(res, 200, [{ Deleted: remove[1] }]);
    }
    if (path === "/version") return json(res, 200, { Arch: state.arch, Version: "fake" });
    if (/^\/distribution\//.test(path) && state.noDistribution) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not Found\n");
      return;
    }
    if (/^\/distribution\//.test(path)) return json(res, 404, { message: "fake registry: unknown" });
    json(res, 404, { message: "not implemented in the fake engine" });
  });
  await new Promise<void>((resolve) => state.server.listen(0, "127.0.0.1", resolve));
  servers.push(state.server);
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

/** The error `promise` rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error & { exitCode?: number }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error & { exitCode?: number },
  );
  if (!outcome) throw new Error("expected a failure");
  return outcome;
}

const records = () =>
  new PulledImages(join(mkdtempSync(join(tmpdir(), "swe-review-images-")), "pulled.jsonl"));
const engineAt = (port: number, userinfo = "") =>
  findEngine({ DOCKER_HOST: `tcp://${userinfo}127.0.0.1:${port}` });

describe("ensureImage against a Docker API on 127.0.0.1", () => {
  it("retries 429 and 500, then pulls with progress lines, records the pull and removes exactly that image", async () => {
    const fake = await fakeEngine([429, 500, 200]);
    fake.images.set("mine/own:latest", "sha256:users");
    const engine = engineAt(fake.port);
    const lines: string[] = [];
    const pulled = records();
    const result = await ensureImage(engine, "example/tool:1.0", {
      pull: true,
      onProgress: (line) => lines.push(line),
      records: pulled,
      retry: { tries: 4, baseDelayMs: 10 },
    });
    expect(result).toEqual({ name: "example/tool:1.0", id: "sha256:pulled", pulled: true });
    expect(fake.requests.filter((line) => line.startsWith("POST /images/create"))).toHaveLength(3);
    expect(lines.some((line) => line.includes("toomanyrequests") && line.includes("retrying"))).toBe(true);
    expect(lines.at(-1)).toBe("pulling example/tool:1.0: 2/2 layers, 20.0 MB of 20.0 MB");
    expect(pulled.list(engine.where).map((entry) => entry.image)).toEqual(["example/tool:1.0"]);

    // Present now: no second pull.
    expect((await ensureImage(engine, "example/tool:1.0", { pull: false, records: pulled })).pulled).toBe(
      false,
    );

    // Only what swe-review pulled is removed.
    expect(await removeImage(engine, "mine/own:latest", { records: pulled })).toMatchObject({
      removed: false,
    });
    expect(fake.images.has("mine/own:latest")).toBe(true);
    expect(await removeImage(engine, "example/tool:1.0", { records: pulled })).toMatchObject({
      removed: true,
    });
    expect(fake.images.has("example/tool:1.0")).toBe(false);
    expect(pulled.list(engine.where)).toEqual([]);
  });

  it("gives up after its tries on a registry that keeps answering 503, naming the image", async () => {
    const fake = await fakeEngine([503, 503]);
    const error = await failure(
      ensureImage(engineAt(fake.port), "example/busy:2", {
        pull: true,
        records: records(),
        retry: { tries: 2, baseDelayMs: 5 },
      }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain("example/busy:2");
    expect(error.message).toContain("after 2 attempts");
  });

  it("a 404 is an input error naming the image, not retried, and credentials in DOCKER_HOST never show", async () => {
    const fake = await fakeEngine([404, 200]);
    const engine = engineAt(fake.port, "someone:hunter2secret@");
    const error = await failure(
      ensureImage(engine, "example/nothing:latest", {
        pull: true,
        records: records(),
        retry: { baseDelayMs: 5 },
      }),
    );
    expect(error.message).toContain("example/nothing:latest");
    expect(error.message).toContain("not found");
    expect(error.message).not.toContain("hunter2secret");
    expect(error.exitCode).toBe(3);
    expect(fake.requests.filter((line) => line.startsWith("POST /images/create"))).toHaveLength(1);
  });

  it("with --no-pull, a missing image is an input error naming the image and the flag; nothing is pulled", async () => {
    const fake = await fakeEngine([200]);
    const error = await failure(ensureImage(engineAt(fake.port), "example/absent:1", { pull: false }));
    expect(error.message).toContain("example/absent:1");
    expect(error.message).toContain("--no-pull");
    expect(error.exitCode).toBe(3);
    expect(fake.requests.some((line) => line.startsWith("POST"))).toBe(false);
  });

  it("an error line inside a 200 stream fails the pull; on arm64 a SWE-bench image says it is x86_64 only", async () => {
    const fake = await fakeEngine([200], "arm64");
    fake.streamError = "manifest unknown: no matching manifest for linux/arm64";
    const name = "swebench/sweb.eval.x86_64.django_1776_django-11049:latest";
    const lines: string[] = [];
    const error = await failure(
      ensureImage(engineAt(fake.port), name, {
        pull: true,
        records: records(),
        onProgress: (line) => lines.push(line),
      }),
    );
    expect(error.message).toContain(name);
    expect(error.message).toContain("SWE-bench publishes x86_64 images only");
    expect(lines[0]).toContain("SWE-bench publishes x86_64 images only");
    const status = await imageStatus(engineAt(fake.port), name);
    expect(status.state).toBe("missing");
  });

  it("imageStatus says when the engine cannot ask a registry (Podman has no /distribution), not that a registry refused", async () => {
    const fake = await fakeEngine([]);
    fake.noDistribution = true;
    const status = await imageStatus(engineAt(fake.port), "example/absent:1");
    expect(status).toEqual({
      state: "missing",
      why: expect.stringMatching(/cannot ask a registry about it \(it does not implement GET \/distribution/),
    });
    fake.noDistribution = false;
    const refused = await imageStatus(engineAt(fake.port), "example/absent:1");
    expect(refused).toEqual({
      state: "missing",
      why: expect.stringContaining("its registry did not answer for it (HTTP 404)"),
    });
  });
});
