/** Percentiles of one set of latencies, milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The value at quantile `q` of sorted `values` (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarise(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 100) / 100;
  return {
    count: sorted.length,
    p50: r(quantile(sorted, 0.5)),
    p95: r(quantile(sorted, 0.95)),
    p99: r(quantile(sorted, 0.99)),
    max: r(sorted.at(-1) ?? Number.NaN),
  };
}

/**
 * Latencies per step and completed operations, kept only while `recording` (after the warm-up). Steps keep
 * their first-seen order so reports list them in flow order.
 */
export class Recorder {
  recording = false;
  completed = 0;
  errors = 0;
  readonly errorSamples: string[] = [];
  readonly steps = new Map<string, number[]>();
  /** Called after each recorded step (the Redis probe puts its markers here); the flow waits for it. */
  afterStep: ((step: string) => Promise<void>) | undefined;

  record(step: string, ms: number): void {
    if (!this.recording) return;
    let list = this.steps.get(step);
    if (!list) this.steps.set(step, (list = []));
    list.push(ms);
  }

  complete(): void {
    if (this.recording) this.completed++;
  }

  fail(err: unknown): void {
    if (!this.recording) return;
    this.errors++;
    if (this.errorSamples.length < 5) this.errorSamples.push((err as Error).message ?? String(err));
  }

  summary(): Record<string, LatencySummary> {
    return Object.fromEntries([...this.steps].map(([step, values]) => [step, summarise(values)]));
  }
}
