import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/store/startEmbeddedRedis.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-shutdown-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function connectable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown', () => {
  it('on SIGTERM answers the request under way, refuses new connections, stops its redis-server and exits 0', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir };
    for (const k of ['REDIS_URL', 'CONFIG', 'TAP_SECRET', 'COOKIE_KEYS', 'JWKS_FILE', 'ISSUER']) delete env[k];
    const child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const until = Date.now() + 30_000;
      while (!out.includes('"msg":"listening"') && Date.now() < until) await sleep(100);
      const redisPid = Number(/"msg":"redis\.embedded".*"pid":(\d+)/.exec(out)?.[1]);
      expect(alive(redisPid)).toBe(true);

      // A request under way when the signal comes: a client-credentials token request whose body is still on its
      // way (it needs Redis to be answered, so Redis must outlive the drain).
      const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'User.ReadWrite.All' }).toString();
      const sock = net.connect(port, '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      let response = '';
      sock.on('data', (d: Buffer) => (response += d.toString()));
      const ended = new Promise<void>((r) => sock.once('close', () => r()));
      const basic = Buffer.from('hr-sync:hr-sync-secret-change-me').toString('base64');
      sock.write(
        `POST /token HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Basic ${basic}\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body.slice(0, 10)}`,
      );
      await sleep(300);

      child.kill('SIGTERM');
      await sleep(500);
      // No new connections while it drains; the one under way is still open.
      expect(await connectable(port)).toBe(false);
      expect(child.exitCode).toBeNull();

      sock.write(body.slice(10));
      await ended; // the server closes the keep-alive connection once its request is answered
      expect(response).toMatch(/^HTTP\/1\.1 200 /);
      expect(response).toContain('"access_token"');

      expect(await exited).toBe(0);
      expect(out).toContain('"msg":"shutdown.done"');
      expect(alive(redisPid)).toBe(false);
      // The AOF redis-server left behind is whole.
      const manifest = path.join(dataDir, 'redis', 'appendonlydir', 'appendonly.aof.manifest');
      expect(execFileSync('redis-check-aof', [manifest], { encoding: 'utf8' })).toMatch(/is valid/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
