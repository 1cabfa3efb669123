import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';

export interface EmbeddedRedis {
  url: string;
  port: number;
  /** The redis-server's process id. */
  pid: number;
  /** Stop the server and wait for it to exit (it flushes its AOF first). */
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Start `redis-server` from PATH as a child: loopback only, data in `dir`, AOF on when `persist` (the default
 * for `npm start`), never evicting keys.
 */
export async function startEmbeddedRedis(dir: string, { persist = true, port }: { persist?: boolean; port?: number } = {}): Promise<EmbeddedRedis> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = port ?? (await freePort());
  const args = [
    '--port', String(p), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', persist ? 'yes' : 'no', '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes',
    '--loglevel', 'warning',
  ];
  let child: ChildProcess;
  try {
    child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`cannot start redis-server from PATH: ${(e as Error).message}`, { cause: e });
  }
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`cannot start redis-server from PATH (set REDIS_URL or install redis-server): ${e.message}`))),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await Promise.race([
      spawnError,
      new Promise<boolean>((resolve) => {
        const sock = net.connect(p, '127.0.0.1');
        sock.once('connect', () => { sock.end(); resolve(true); });
        sock.once('error', () => resolve(false));
      }),
    ]);
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // redis-server flushes its AOF and exits within moments; one that hangs must not hold the shutdown forever.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
