/** The pause of a background loop between rounds, cut short by `wake` (new work, or the loop's end). */
export class Napper {
  private wakeUp: (() => void) | undefined;

  /** Resolve after `ms`, or at the next `wake`; the timer never keeps the process alive. */
  nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  wake(): void {
    this.wakeUp?.();
  }
}
