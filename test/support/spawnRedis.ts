import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';

/** One redis-server (or sentinel) process of a test's own, to be killed as a fault. */
export interface RedisProcess {
  port: number;
  child: ChildProcess;
  /** Kill it at once (SIGKILL), as a crashed machine. */
  kill(): Promise<void>;
}

/** Start `redis-server` with `args` (a config file first, for a sentinel) and wait until `port` accepts connections. */
export async function spawnRedis(dir: string, port: number, args: string[]): Promise<RedisProcess> {
  mkdirSync(dir, { recursive: true });
  const child = spawn('redis-server', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const until = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.end(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > until) throw new Error(`redis-server on ${port} did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 30));
  }
  return {
    port,
    child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
