import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Run loadSecrets in a process of its own (as an instance would), printing the fingerprint-free outcome. */
function loadIn(dataDir: string): Promise<string> {
  const script = `
    const { loadSecrets } = await import(${JSON.stringify(path.join(ROOT, 'dist/secrets/loadSecrets.js'))});
    const { readEnv } = await import(${JSON.stringify(path.join(ROOT, 'dist/config/readEnv.js'))});
    const s = await loadSecrets(readEnv({ DATA_DIR: ${JSON.stringify(dataDir)} }), { info() {}, warn() {}, error() {} });
    process.stdout.write(JSON.stringify(s));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
  });
}

describe('secrets generated on a shared DATA_DIR', () => {
  it('are the same for instances that start at the same moment, and no temporary file is left', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-secrets-'));
      try {
        const results = await Promise.all(Array.from({ length: 4 }, () => loadIn(dir)));
        expect(new Set(results).size).toBe(1);
        const onDisk = JSON.parse(readFileSync(path.join(dir, 'jwks.json'), 'utf8')) as { keys: { kid: string }[] };
        expect((JSON.parse(results[0]!) as { jwks: { keys: { kid: string }[] } }).jwks.keys.map((k) => k.kid)).toEqual(onDisk.keys.map((k) => k.kid));
        expect(readdirSync(dir).sort()).toEqual(['jwks.json', 'secrets.json']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
