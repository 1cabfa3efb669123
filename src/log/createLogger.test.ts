import { describe, expect, it } from 'vitest';
import { createLogger } from './createLogger.js';

describe('createLogger', () => {
  it('writes JSON lines and never the value of a secret-named field, however deep', () => {
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l));
    log.info('event', { userId: 'u1', tap: 'Secret12', nested: { password: 'pw', cookie: 'c=1', ok: 'visible' } });
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 'info', msg: 'event', userId: 'u1', tap: '[redacted]' });
    expect(lines[0]).not.toMatch(/Secret12|"pw"|c=1/);
    expect(lines[0]).toContain('visible');
    expect(lines[0]!.endsWith('\n')).toBe(true);
  });
});
