import type { RedisClient } from './RedisClient.js';

/** The parts of an ioredis pipeline that hold its commands and their replies (not in ioredis's public types). */
interface PipelineInternals {
  promise?: Promise<unknown>;
  resolve?: unknown;
  reject?: unknown;
  _queue: unknown[];
  _result: unknown[];
}

/**
 * Make every pipeline of `client` (the auto-pipelined batches of each tick, `pipeline()` and `multi()`) let go of
 * its commands and replies once it has answered.
 *
 * Issue #18, measured (docs/benchmarks.md, "Young-generation collections"): a finished ioredis pipeline stays
 * reachable from old-generation objects that are themselves already garbage, until the next full collection. Each
 * young-generation collection therefore copied the commands and replies of the pipelines since the last one, and
 * promoted them: under half load about 6.5 MB per collection, and most of its pause. Emptied, a pipeline that
 * lingers is a few hundred bytes. Its answer has been handed on by then: ioredis passes the results to the
 * callers' callbacks as values, in the same microtask checkpoint as it settles, before `setImmediate` runs.
 */
export function releaseFinishedPipelines(client: RedisClient): void {
  const released = (p: PipelineInternals) => {
    const release = () =>
      setImmediate(() => {
        const fields = p as unknown as Record<string, unknown>;
        for (const key of Object.keys(fields)) delete fields[key];
        // Its \`length\` getter reads the queue.
        p._queue = [];
      });
    p.promise?.then(release, release);
    return p;
  };
  const target = client as unknown as Record<'pipeline' | 'multi', (...args: unknown[]) => PipelineInternals>;
  for (const name of ['pipeline', 'multi'] as const) {
    const make = target[name];
    target[name] = function (this: unknown, ...args: unknown[]) {
      const p = make.apply(this, args);
      // multi({ pipeline: false }) answers a plain promise, not a pipeline.
      return p && Array.isArray(p._queue) ? released(p) : p;
    };
  }
}
