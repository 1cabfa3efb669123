import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A child process the bench started, and how to stop it. */
export interface Child {
  /** What the bench's messages call it (`oidc-tap`, `baseline`, `redis-server`…). */
  name: string;
  url: string;
  port: number;
  pid: number;
  /** SIGTERM, then wait for the exit (a profiled server writes its profile on the way out). */
  stop(): Promise<void>;
}

/** A free port on loopback (bench is self-contained: it type-checks before dist/ exists). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function tracked(child: ChildProcess, port: number, url: string, name: string): Child & { exited: Promise<void> } {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code && code !== 0) process.stderr.write(`bench: ${name} exited with ${code ?? signal}: ${stderr.trim()}\n`);
      resolve();
    }),
  );
  return {
    name,
    url,
    port,
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitFor(check: () => Promise<boolean>, what: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 20_000;
  while (!(await check().catch(() => false))) {
    if (gone) throw new Error(`${what} exited during start-up`);
    if (Date.now() > deadline) throw new Error(`${what} did not start within 20 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** redis-server from PATH on loopback, no persistence unless `aof`, never evicting; a replica of `replicaOf` when given. */
export async function startRedis(dir: string, aof: boolean, replicaOf?: number): Promise<Child> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', aof ? 'yes' : 'no', '--maxmemory-policy', 'noeviction', '--loglevel', 'warning', ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : [])],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const c = tracked(child, port, `redis://127.0.0.1:${port}`, 'redis-server');
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const sock = net.connect(port, '127.0.0.1');
        sock.once('connect', () => (sock.end(), resolve(true)));
        sock.once('error', () => resolve(false));
      }),
    'redis-server',
    c.exited,
  );
  return c;
}

/**
 * A Node server as a child process (`script` relative to the repository), ready once `readyPath` answers
 * 200. Its logs go nowhere: writing them is part of its cost, reading them is not part of the driver's.
 */
export async function startNode(
  name: string,
  script: string,
  env: (port: number) => Record<string, string>,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<Child> {
  const port = await freePort();
  // BENCH_NODE_ARGS: Node flags for every server the bench starts, ours and stock alike (a GC setting, say).
  // BENCH_CHILD_LOG=PREFIX: each server's standard output (its log, and what --trace-gc prints) to PREFIX.NAME.
  const extra = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const out = process.env.BENCH_CHILD_LOG ? openSync(`${process.env.BENCH_CHILD_LOG}.${name}`, 'w') : 'ignore';
  const child = spawn(process.execPath, [...extra, ...nodeArgs, path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...env(port), PORT: String(port) },
    stdio: ['ignore', out, 'pipe'],
  });
  // The child has its own copy of the log file's descriptor.
  if (typeof out === 'number') closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const c = tracked(child, port, url, name);
  await waitFor(async () => (await fetch(url + readyPath)).status === 200, name, c.exited);
  return c;
}

/** Secrets and keys shared by every server of the run, as files and environment. */
export interface BenchFiles {
  configPath: string;
  env: Record<string, string>;
  jwksPath: string;
}

export interface BenchConfigInput {
  dir: string;
  users: string[];
  client: { id: string; secret: string; redirectUri: string };
  service: { id: string; secret: string };
  /** The config file's `options`. */
  options?: Record<string, unknown>;
}

/** The bench deployment: one RP client, one service client, the users, a TAP policy allowing 8-hour passes. */
export function writeBenchFiles(input: BenchConfigInput): BenchFiles {
  mkdirSync(input.dir, { recursive: true });
  const configPath = path.join(input.dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      $comment: 'Generated by npm run bench',
      clients: [
        {
          client_id: input.client.id,
          client_secret: input.client.secret,
          redirect_uris: [input.client.redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        },
        { client_id: input.service.id, client_secret: input.service.secret, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
      ],
      users: input.users.map((upn) => ({ userPrincipalName: upn, displayName: upn.split('@')[0] })),
      tapPolicy: { state: 'enabled', maximumLifetimeInMinutes: 480 },
      ...(input.options ? { options: input.options } : {}),
    }),
  );
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const jwksPath = path.join(input.dir, 'jwks.json');
  writeFileSync(
    jwksPath,
    JSON.stringify({ keys: [{ ...rsa, kid: randomUUID(), alg: 'RS256', use: 'sig' }, { ...ec, kid: randomUUID(), alg: 'ES256', use: 'sig' }] }),
    { mode: 0o600 },
  );
  return {
    configPath,
    jwksPath,
    env: {
      CONFIG: configPath,
      JWKS_FILE: jwksPath,
      TAP_SECRET: randomBytes(32).toString('base64url'),
      COOKIE_KEYS: randomBytes(24).toString('base64url'),
      DATA_DIR: path.join(input.dir, 'data'),
    },
  };
}

/**
 * The deployment options of the bench: rate limits (where the build has them) so high that they never refuse,
 * since one load generator on one address plays thousands of users; their checks still run and are measured.
 */
export async function benchOptions(): Promise<Record<string, unknown> | undefined> {
  const { defaultOptions } = (await import(new URL('../dist/config/parseConfig.js', import.meta.url).href)) as { defaultOptions: Record<string, unknown> };
  const limits = defaultOptions.rateLimits as Record<string, unknown> | undefined;
  if (!limits) return undefined;
  return { rateLimits: Object.fromEntries(Object.keys(limits).map((k) => [k, { limit: 1_000_000_000, windowSeconds: 1 }])) };
}
