/** The reviews a server is running, so that shutting down can wait until each has cleaned up after itself. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when everything tracked so far has finished, however it ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
