/** Counters for Prometheus, kept in memory per process. */
export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly help = new Map<string, string>();
  private readonly collected: { name: string; help: string; type: 'counter' | 'gauge'; read: () => number }[] = [];

  constructor() {
    this.describe('oidc_tap_http_requests_total', 'HTTP requests by route group and status class');
    this.describe('oidc_tap_signins_total', 'Sign-in attempts by method and outcome');
  }

  describe(name: string, help: string): void {
    this.help.set(name, help);
    if (!this.counters.has(name)) this.counters.set(name, new Map());
  }

  inc(name: string, labels: Record<string, string>): void {
    const series = this.counters.get(name) ?? new Map<string, number>();
    this.counters.set(name, series);
    const key = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',');
    series.set(key, (series.get(key) ?? 0) + 1);
  }

  /** A value kept elsewhere (e.g. the password step's hash counts), read at each scrape. */
  collect(name: string, help: string, type: 'counter' | 'gauge', read: () => number): void {
    this.collected.push({ name, help, type, read });
  }

  /** Prometheus text exposition format. */
  render(): string {
    const lines: string[] = [];
    for (const [name, series] of this.counters) {
      lines.push(`# HELP ${name} ${this.help.get(name) ?? name}`, `# TYPE ${name} counter`);
      for (const [labels, value] of series) lines.push(`${name}{${labels}} ${value}`);
    }
    for (const c of this.collected) lines.push(`# HELP ${c.name} ${c.help}`, `# TYPE ${c.name} ${c.type}`, `${c.name} ${c.read()}`);
    const mem = process.memoryUsage();
    lines.push('# HELP oidc_tap_process_resident_memory_bytes Resident memory', '# TYPE oidc_tap_process_resident_memory_bytes gauge');
    lines.push(`oidc_tap_process_resident_memory_bytes ${mem.rss}`);
    lines.push('# HELP oidc_tap_process_heap_used_bytes V8 heap in use', '# TYPE oidc_tap_process_heap_used_bytes gauge');
    lines.push(`oidc_tap_process_heap_used_bytes ${mem.heapUsed}`);
    return `${lines.join('\n')}\n`;
  }
}
