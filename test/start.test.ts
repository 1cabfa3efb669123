import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/store/startEmbeddedRedis.js';

const ROOT = path.resolve(import.meta.dirname, '..');
let clone: string;

/** Env for child processes: the test's PATH (Node 24 first), none of the product's variables. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['REDIS_URL', 'CONFIG', 'TAP_SECRET', 'COOKIE_KEYS', 'JWKS_FILE', 'DATA_DIR', 'ISSUER', 'PORT']) delete env[k];
  return { ...env, ...extra };
}

function run(child: ChildProcess): { out: () => string; exited: Promise<number | null> } {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { out: () => out, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

async function waitFor(url: string, ms: number): Promise<Response> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fetch(url);
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.end(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

function cli(args: string[]): string {
  return execFileSync(process.execPath, ['dist/cli.js', ...args], { cwd: clone, env: cleanEnv(), encoding: 'utf8' });
}

beforeAll(() => {
  // A fresh clone: the tracked and new files of this tree, without dist/ or var/, sharing node_modules.
  clone = mkdtempSync(path.join(tmpdir(), 'oidc-tap-clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(path.join(ROOT, f)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(clone, f));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
});
afterAll(() => rmSync(clone, { recursive: true, force: true }));

describe('npm start on a fresh clone', () => {
  it('builds, starts its own redis-server, serves discovery, bootstraps the admin once, and stops cleanly', async () => {
    const port = await freePort();
    const child = spawn('npm', ['start'], { cwd: clone, env: cleanEnv({ PORT: String(port) }), detached: true });
    const p = run(child);
    try {
      const res = await waitFor(`http://localhost:${port}/.well-known/openid-configuration`, 90_000);
      expect(res.status).toBe(200);
      const discovery = (await res.json()) as { issuer: string; code_challenge_methods_supported: string[] };
      expect(discovery.issuer).toBe(`http://localhost:${port}`);
      expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://localhost:${port}/readyz`)).status).toBe(200);
      expect(await (await fetch(`http://localhost:${port}/metrics`)).text()).toContain('oidc_tap_http_requests_total');

      // Secrets were generated once, under ./var, private, with a warning.
      for (const f of ['secrets.json', 'jwks.json', 'initial-admin-tap']) {
        expect(statSync(path.join(clone, 'var', f)).mode & 0o777).toBe(0o600);
      }
      const bootstrap = readFileSync(path.join(clone, 'var', 'initial-admin-tap'), 'utf8');
      const passcode = /temporaryAccessPass: (\S+)/.exec(bootstrap)![1]!;
      expect(passcode).toHaveLength(8);
      expect(p.out()).toContain('secrets.generated');
      expect(p.out()).toContain(path.join(clone, 'var', 'initial-admin-tap'));
      expect(p.out()).not.toContain(passcode);

      // The CLI finds the running server's Redis and shares the service code.
      expect(cli(['tap', 'list', 'admin@contoso.com'])).toMatch(/EnabledByPolicy .* once/);
      const created = JSON.parse(cli(['tap', 'create', 'jdoe@contoso.com', '--lifetime', '120', '--json'])) as { temporaryAccessPass: string; lifetimeInMinutes: number };
      expect(created.lifetimeInMinutes).toBe(120);
      expect(created.temporaryAccessPass).toMatch(/^[A-Za-z0-9]{8}$/);
      const listed = JSON.parse(cli(['tap', 'list', 'jdoe@contoso.com', '--json'])) as { temporaryAccessPass: null }[];
      expect(listed[0]!.temporaryAccessPass).toBeNull();
      expect(cli(['tap', 'list', 'jdoe@contoso.com'])).toMatch(/ failures 0\n$/);
      expect(cli(['tap', 'unlock', 'jdoe@contoso.com'])).toBe('unlocked\n');
      expect(JSON.parse(cli(['policy', 'set', 'defaultLength=12'])).defaultLength).toBe(12);
      expect(JSON.parse(cli(['policy', 'show'])).defaultLength).toBe(12);
      expect(() => cli(['policy', 'set', 'minimumLifetimeInMinutes=500'])).toThrow(/maximumLifetimeInMinutes must be at least minimumLifetimeInMinutes/);
      expect(JSON.parse(cli(['policy', 'show'])).minimumLifetimeInMinutes).toBe(60);
      expect(() => cli(['tap', 'create', 'jdoe@contoso.com', '--lifetime', '5'])).toThrow(/The valid range between 60 and 480\./);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
    // npm itself dies by the signal; what matters is that its redis-server child went down with it.
    await p.exited;
    const redisPort = Number(/redis:\/\/127\.0\.0\.1:(\d+)/.exec(p.out())![1]);
    // The child redis-server flushes its AOF and exits within moments of the server.
    const until = Date.now() + 10_000;
    while ((await portOpen(redisPort)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await portOpen(redisPort)).toBe(false);
    expect(existsSync(path.join(clone, 'var', 'redis', 'appendonlydir'))).toBe(true);
  }, 120_000);

  it('keeps its data across a restart (AOF) and does not issue a second bootstrap TAP', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/main.js'], { cwd: clone, env: cleanEnv({ PORT: String(port) }) });
    const p = run(child);
    try {
      await waitFor(`http://localhost:${port}/readyz`, 30_000);
      const listed = JSON.parse(cli(['tap', 'list', 'jdoe@contoso.com', '--json'])) as { lifetimeInMinutes: number }[];
      expect(listed[0]!.lifetimeInMinutes).toBe(120);
      expect(JSON.parse(cli(['policy', 'show'])).defaultLength).toBe(12);
      expect(p.out()).not.toContain('bootstrap.initialAdminTap');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await p.exited).toBe(0);
  }, 60_000);

  it('stops at start-up with one line naming the bad config field', async () => {
    const bad = path.join(clone, 'bad.json');
    writeFileSync(bad, JSON.stringify({ users: [{ userPrincipalName: 'not-an-upn' }] }));
    const child = spawn(process.execPath, ['dist/main.js'], { cwd: clone, env: cleanEnv({ CONFIG: bad, REDIS_URL: 'redis://127.0.0.1:1' }) });
    const p = run(child);
    expect(await p.exited).toBe(1);
    expect(p.out().trim()).toBe('oidc-tap: config error: users[0].userPrincipalName: "not-an-upn" is not of the form name@domain');

    const env = spawn(process.execPath, ['dist/main.js'], { cwd: clone, env: cleanEnv({ PORT: 'eighty' }) });
    const q = run(env);
    expect(await q.exited).toBe(1);
    expect(q.out().trim()).toBe('oidc-tap: config error: PORT: "eighty" is not a port number');
  });

  it('stops its redis-server and says in one line what is wrong when the port is in use or a client is misconfigured', async () => {
    // Built by the first test when the file runs whole.
    if (!existsSync(path.join(clone, 'dist/main.js'))) execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: clone });
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, r));
    try {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-fail-'));
      const badClient = path.join(clone, 'bad-client.json');
      writeFileSync(badClient, JSON.stringify({ clients: [{ client_id: 'jwt-app', redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'private_key_jwt' }] }));
      for (const [env, line] of [
        [{ PORT: String(port), DATA_DIR: dataDir }, `oidc-tap: config error: PORT: ${port} is in use by another process`],
        [{ PORT: '0', DATA_DIR: dataDir, CONFIG: badClient }, 'oidc-tap: config error: clients[0] (jwt-app): jwks or jwks_uri is mandatory for this client'],
      ] as const) {
        const p = run(spawn(process.execPath, ['dist/main.js'], { cwd: clone, env: cleanEnv(env) }));
        expect(await p.exited).toBe(1);
        const lines = p.out().trim().split('\n');
        expect(lines.at(-1)).toBe(line);
        // Only JSON log lines before it: no stack trace.
        expect(lines.slice(0, -1).every((l) => l.startsWith('{'))).toBe(true);
        const pid = (JSON.parse(lines.find((l) => l.includes('"msg":"redis.embedded"'))!) as { pid: number }).pid;
        expect(() => process.kill(pid, 0)).toThrow();
        expect(existsSync(path.join(dataDir, 'redis.url'))).toBe(false);
      }
      rmSync(dataDir, { recursive: true, force: true });
    } finally {
      blocker.close();
    }
  }, 60_000);
});
