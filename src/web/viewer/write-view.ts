import { statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { basename, join, resolve } from "node:path";
import { SecretScrubber, secretValuesFromEnv } from "../../common/secrets.js";
import { renderViewerPage } from "./page.js";
import { loadViews } from "./view-model.js";

/**
 * Writes the viewer page for a run directory or trajectory file; returns where. Known secret values of the
 * environment are replaced, as in every export.
 */
export function writeViewerPage(
  input: string,
  out?: string,
  env: NodeJS.ProcessEnv = process.env,
): { file: string; trajectories: number } {
  const views = loadViews(input);
  const isDir = statSync(input).isDirectory();
  const file = out ?? (isDir ? join(input, "trajectories.html") : `${input.replace(/\.jsonl$/, "")}.html`);
  const title = isDir
    ? `Run ${basename(resolve(input))}`
    : `Trajectory ${views[0]?.title ?? basename(input)}`;
  const html = renderViewerPage(title, views);
  const scrubber = new SecretScrubber(secretValuesFromEnv(env));
  writeFileSync(file, scrubber.scrub(html));
  return { file, trajectories: views.length };
}

/** Serves one file at `/` on the given host (loopback by default) until the process ends. */
export function servePage(html: () => string, port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url !== "/" && request.url !== "/index.html") {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html());
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}
