/**
 * Admission to the password hash (scrypt, some 50 ms of a core each). Anyone can post a password, for a made-up
 * name too (which pays for a hash like a real one, so that timing tells nothing), so the work is bounded here:
 * at most `concurrency` hashes at once and `queue` waiting; a post beyond that is refused at once, unhashed.
 * Counts are kept for `/metrics`.
 */
export class HashGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Hashes run since start. */
  runs = 0;
  /** Posts refused because the queue was full. */
  refused = 0;

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  /** `task`'s result once a place is free; undefined, without running it, when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T | undefined> {
    if (this.running < this.concurrency) {
      this.running++;
    } else if (this.waiting.length < this.queue) {
      // The place is handed over by the task that ends, so `running` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.refused++;
      return undefined;
    }
    this.runs++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
