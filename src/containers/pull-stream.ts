/**
 * Reading the JSON-lines stream an engine answers `POST /images/create` (a pull) with: per-layer status and byte
 * counts, and, since the HTTP status is already 200 by then, errors as `{"error": …, "errorDetail": {…}}` lines.
 */

/** Where a pull stands, summed over its layers. */
export interface PullProgress {
  /** Layers seen so far. */
  layers: number;
  /** Layers pulled, or already on the engine. */
  layersDone: number;
  /** Bytes downloaded so far, over the layers whose size is known. */
  doneBytes: number;
  /** Sum of the known layer sizes. */
  totalBytes: number;
}

/** An error line in a pull stream. `statusCode` when the engine gave one (`errorDetail.code`). */
export class PullStreamError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = "PullStreamError";
  }
}

interface PullLine {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

const DONE = /^(pull complete|already exists)/i;
const LAYER =
  /^(pulling fs layer|waiting|downloading|verifying checksum|download complete|extracting|pull complete|already exists)/i;

/**
 * Reads `stream` to its end. Calls `onProgress` at most every `intervalMs` and whenever a layer finishes; rejects
 * with a `PullStreamError` on an error line, or with the stream's own error.
 */
export function followPull(
  stream: NodeJS.ReadableStream,
  onProgress: (progress: PullProgress) => void,
  intervalMs = 1000,
): Promise<void> {
  const layers = new Map<string, { current: number; total: number; done: boolean }>();
  let lastReport = 0;
  let buffered = "";
  let failure: PullStreamError | undefined;
  const report = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastReport < intervalMs) return;
    lastReport = now;
    let doneBytes = 0;
    let totalBytes = 0;
    let layersDone = 0;
    for (const layer of layers.values()) {
      if (layer.done) layersDone++;
      totalBytes += layer.total;
      doneBytes += layer.done ? layer.total : Math.min(layer.current, layer.total || layer.current);
    }
    onProgress({ layers: layers.size, layersDone, doneBytes, totalBytes });
  };
  const handle = (text: string) => {
    if (!text.trim() || failure) return;
    let line: PullLine;
    try {
      line = JSON.parse(text) as PullLine;
    } catch {
      return;
    }
    if (line.error || line.errorDetail?.message) {
      failure = new PullStreamError(
        line.errorDetail?.message ?? line.error ?? "pull failed",
        line.errorDetail?.code,
      );
      return;
    }
    if (!line.id || !line.status || !LAYER.test(line.status)) return;
    const layer = layers.get(line.id) ?? { current: 0, total: 0, done: false };
    layers.set(line.id, layer);
    if (/^downloading/i.test(line.status)) {
      layer.current = line.progressDetail?.current ?? layer.current;
      layer.total = line.progressDetail?.total ?? layer.total;
    }
    const finished = DONE.test(line.status) && !layer.done;
    if (finished) layer.done = true;
    report(finished);
  };
  return new Promise((resolve, reject) => {
    stream.on("data", (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        handle(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
      }
    });
    stream.on("error", (error: Error) => reject(failure ?? error));
    stream.on("end", () => {
      handle(buffered);
      if (failure) return reject(failure);
      if (layers.size > 0) report(true);
      resolve();
    });
  });
}
