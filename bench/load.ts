import { Recorder } from './Recorder.ts';

/** One operation of a load: a whole flow or one grant. `worker` is the index of the virtual user. */
export type Operation = (rec: Recorder, worker: number) => Promise<void>;

export interface ClosedLoopOptions {
  /** Virtual users, each running `op` back to back. */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Completed operations per second over the measured window. */
  perSecond: number;
  completed: number;
  errors: number;
  recorder: Recorder;
}

/**
 * Closed loop: `concurrency` virtual users run `op` back to back; the first `warmupMs` are not recorded, the
 * next `durationMs` are. Operations still running at the end finish but do not count.
 */
export async function closedLoop(op: Operation, o: ClosedLoopOptions): Promise<LoadResult> {
  const rec = new Recorder();
  let stop = false;
  const worker = async (i: number) => {
    while (!stop) {
      try {
        await op(rec, i);
        rec.complete();
      } catch (e) {
        rec.fail(e);
        if (!rec.recording) throw e; // failing during warm-up: the scenario is broken, not loaded
      }
    }
  };
  const workers = Array.from({ length: o.concurrency }, (_, i) => worker(i));
  const failed = Promise.race(workers.map((w) => w.then(() => new Promise<never>(() => {}))));
  try {
    await Promise.race([new Promise((r) => setTimeout(r, o.warmupMs)), failed]);
    rec.recording = true;
    const started = performance.now();
    await Promise.race([new Promise((r) => setTimeout(r, o.durationMs)), failed]);
    rec.recording = false;
    const elapsed = (performance.now() - started) / 1000;
    stop = true;
    await Promise.allSettled(workers);
    return { perSecond: rec.completed / elapsed, completed: rec.completed, errors: rec.errors, recorder: rec };
  } finally {
    stop = true;
    await Promise.allSettled(workers);
  }
}

/**
 * Open loop: start `op` at a steady `ratePerSecond` whatever the previous ones are doing, as independent users
 * would; latencies are then not flattered by the load generator waiting (no coordinated omission).
 */
export async function openLoop(op: Operation, ratePerSecond: number, o: { warmupMs: number; durationMs: number }): Promise<LoadResult> {
  const rec = new Recorder();
  const running = new Set<Promise<void>>();
  const interval = 1000 / ratePerSecond;
  const t0 = performance.now();
  const end = t0 + o.warmupMs + o.durationMs;
  let n = 0;
  let measuredFrom = 0;
  while (performance.now() < end) {
    const due = t0 + n * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (!rec.recording && performance.now() >= t0 + o.warmupMs) {
      rec.recording = true;
      measuredFrom = performance.now();
    }
    const p: Promise<void> = op(rec, n).then(
      () => rec.complete(),
      (e: unknown) => rec.fail(e),
    );
    running.add(p);
    void p.finally(() => running.delete(p));
    n++;
  }
  rec.recording = false;
  const elapsed = (performance.now() - measuredFrom) / 1000;
  await Promise.allSettled([...running]);
  return { perSecond: rec.completed / elapsed, completed: rec.completed, errors: rec.errors, recorder: rec };
}

/**
 * A fixed number of operations: `concurrency` virtual users take the next of `n` until all have run, each
 * recorded; for costs per operation, where a time window would cut flows in half at both ends.
 */
export async function fixedCount(op: Operation, n: number, concurrency: number): Promise<LoadResult & { seconds: number }> {
  const rec = new Recorder();
  rec.recording = true;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async (_, i) => {
      while (next < n) {
        next++;
        try {
          await op(rec, i);
          rec.complete();
        } catch (e) {
          rec.fail(e);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: rec.completed / seconds, completed: rec.completed, errors: rec.errors, recorder: rec, seconds };
}
