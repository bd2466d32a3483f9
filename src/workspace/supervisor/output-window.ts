/**
 * Output collected between two waits. Keeps at most `headBytes` from the start and `tailBytes` from the end, so a
 * command that prints gigabytes costs bounded memory; the bytes dropped in between are counted.
 */
export class OutputWindow {
  private head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private omitted = 0;

  constructor(
    private readonly headBytes = 1 << 20,
    private readonly tailBytes = 1 << 20,
  ) {}

  push(chunk: Buffer): void {
    if (this.headSize < this.headBytes) {
      const take = chunk.subarray(0, this.headBytes - this.headSize);
      this.head.push(take);
      this.headSize += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailSize += chunk.length;
    while (this.tailSize > this.tailBytes) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailSize - this.tailBytes;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailSize -= first.length;
        this.omitted += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailSize -= excess;
        this.omitted += excess;
      }
    }
  }

  /** The collected output, and empties the window. */
  take(): { text: string; omittedBytes: number } {
    const head = Buffer.concat(this.head).toString("utf8");
    const tail = Buffer.concat(this.tail).toString("utf8");
    const omittedBytes = this.omitted;
    this.head = [];
    this.tail = [];
    this.headSize = 0;
    this.tailSize = 0;
    this.omitted = 0;
    const text =
      omittedBytes > 0 ? `${head}\n[... ${omittedBytes} bytes of output omitted ...]\n${tail}` : head + tail;
    return { text, omittedBytes };
  }
}
