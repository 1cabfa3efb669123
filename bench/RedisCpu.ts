import { RedisProbe } from './RedisProbe.ts';

/** CPU seconds redis-server processes have used so far (INFO cpu: user + sys, all threads), summed by role. */
export interface CpuSample {
  masters: number;
  replicas: number;
  /**
   * Read events the masters have processed so far (INFO stats `total_reads_processed`): each is one batch of
   * commands read off one connection, so per flow it counts the batches a flow's round trips became.
   */
  masterReads: number;
  /** Which nodes were masters, by URL: a failover in between would make two samples incomparable. */
  roles: string;
}

/**
 * The CPU of a set of redis-servers (one, or every node of a Cluster), read from each node's INFO: a flow's
 * Redis cost as the servers themselves count it, wherever its keys landed.
 */
export class RedisCpu {
  private readonly nodes: { url: string; probe: RedisProbe }[];

  private constructor(nodes: { url: string; probe: RedisProbe }[]) {
    this.nodes = nodes;
  }

  static async open(urls: string[]): Promise<RedisCpu> {
    return new RedisCpu(await Promise.all(urls.map(async (url) => ({ url, probe: await RedisProbe.open(url) }))));
  }

  async sample(): Promise<CpuSample> {
    const per = await Promise.all(
      this.nodes.map(async (n) => {
        const [cpu, replication, stats] = await Promise.all([n.probe.info('cpu'), n.probe.info('replication'), n.probe.info('stats')]);
        return { url: n.url, master: replication.role !== 'slave', seconds: Number(cpu.used_cpu_user) + Number(cpu.used_cpu_sys), reads: Number(stats.total_reads_processed) };
      }),
    );
    const sum = (xs: typeof per) => xs.reduce((a, x) => a + x.seconds, 0);
    return {
      masters: sum(per.filter((p) => p.master)),
      replicas: sum(per.filter((p) => !p.master)),
      masterReads: per.filter((p) => p.master).reduce((a, p) => a + p.reads, 0),
      roles: per.filter((p) => p.master).map((p) => p.url).sort().join(' '),
    };
  }

  close(): void {
    for (const n of this.nodes) n.probe.close();
  }
}
