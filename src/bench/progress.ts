import { formatSeconds, formatTokens } from "../review/render.js";
import type { InstanceResult } from "./records.js";

/**
 * The run's progress on stderr: done/total, ETA, what the items conclude so far (reviews: running decision accuracy
 * over items with a label and a verdict; loops: resolve rate of the submitted patches; verification: resolved
 * count), tokens, and failures. Rewritten in place on a terminal, one line per finished item otherwise.
 */
export class BenchProgress {
  private done = 0;
  private failed = 0;
  private correct = 0;
  private judged = 0;
  private reviews = 0;
  private loops = 0;
  private loopsResolved = 0;
  private labelled = 0;
  private labelledResolved = 0;
  private tokens = 0;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly alreadyDone: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.done = alreadyDone;
  }

  record(result: InstanceResult): void {
    this.done++;
    if (result.status === "failed") this.failed++;
    this.tokens += result.usage.prompt_tokens + result.usage.completion_tokens;
    const decision = result.review?.decision;
    if (result.review) this.reviews++;
    if (result.loop) {
      this.loops++;
      if (result.loop.resolved === true) this.loopsResolved++;
    }
    if (result.labelled_by) {
      this.labelled++;
      if (result.label === true) this.labelledResolved++;
    }
    if (decision && result.label !== null) {
      this.judged++;
      if ((decision === "approve") === result.label) this.correct++;
    }
    this.print(`${result.key}: ${describeResult(result)}`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write("\n");
  }

  private print(last: string): void {
    const newlyDone = this.done - this.alreadyDone;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = newlyDone > 0 ? formatSeconds((elapsed / newlyDone) * (this.total - this.done)) : "?";
    const accuracy =
      this.judged > 0
        ? `${((100 * this.correct) / this.judged).toFixed(1)}% (${this.correct}/${this.judged})`
        : "-";
    const parts = [`[bench] ${this.done}/${this.total}`, `ETA ${eta}`];
    if (this.reviews > 0) parts.push(`DA ${accuracy}`);
    if (this.loops > 0) {
      parts.push(
        `RR ${((100 * this.loopsResolved) / this.loops).toFixed(1)}% (${this.loopsResolved}/${this.loops})`,
      );
    }
    if (this.labelled > 0) parts.push(`resolved ${this.labelledResolved}/${this.labelled}`);
    if (this.tokens > 0 || this.reviews + this.loops > 0) parts.push(`${formatTokens(this.tokens)} tokens`);
    if (this.failed > 0) parts.push(`${this.failed} failed`);
    const line = `${[...parts, last].join(" · ")}`;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 120) - 1)}`);
    else this.stream.write(`${line}\n`);
  }
}

/** What an item concluded, in a few words: a review's decision, a loop's outcome, a verification's label. */
export function describeResult(result: InstanceResult): string {
  if (result.status === "failed") return `failed (${result.error?.code})`;
  if (result.loop) {
    const { loop } = result;
    const resolved =
      loop.resolved === undefined
        ? ""
        : loop.resolved === null
          ? ", not verified"
          : loop.resolved
            ? ", resolved"
            : ", not resolved";
    return `${loop.outcome ?? "no outcome"} after ${loop.samples_spent} sample(s)${resolved}`;
  }
  if (result.labelled_by === "dataset")
    return `labelled already (${result.label ? "resolved" : "unresolved"})`;
  if (result.labelled_by === "tests") return result.label ? "resolved" : "unresolved";
  return result.review?.decision ?? "no verdict";
}
