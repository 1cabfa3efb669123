import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { readEnv } from './readEnv.js';

describe('readEnv METRICS_TOKEN', () => {
  it('is unset unless given, and refused when too short to be a secret', () => {
    expect(readEnv({}).metricsToken).toBeUndefined();
    expect(readEnv({ METRICS_TOKEN: 'a-scrape-token-of-enough-length' }).metricsToken).toBe('a-scrape-token-of-enough-length');
    expect(() => readEnv({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => readEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});

describe('readEnv', () => {
  it('fills in the defaults', () => {
    expect(readEnv({})).toMatchObject({ port: 3000, issuer: 'http://localhost:3000', configPath: 'config/default.json', trustProxy: false });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: "eighty" is not a port number'],
    [{ PORT: '70000' }, 'PORT: "70000" is not a port number'],
    [{ ISSUER: 'not a url' }, 'ISSUER: "not a url" is not a URL'],
    [{ ISSUER: 'https://idp.example/?x=1' }, 'ISSUER: must be an http(s) URL without query or fragment'],
    [{ REDIS_URL: 'http://redis:6379' }, 'REDIS_URL: must start with redis://, rediss://, redis+cluster://, rediss+cluster://, redis+sentinel:// or rediss+sentinel://'],
    [{ COOKIE_KEYS: 'a-long-enough-cookie-key,short' }, 'COOKIE_KEYS: each comma-separated key must be at least 16 characters'],
    [{ TAP_SECRET: 'x'.repeat(31) }, 'TAP_SECRET: must be at least 32 characters'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN: must be at least 16 characters'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY: "maybe" is not one of true/false/1/0/yes/no/on/off'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => readEnv(env)).toThrow(message);
  });

  it('counts a secret\'s length as JavaScript does', () => {
    expect(readEnv({ TAP_SECRET: '😀'.repeat(16) }).tapSecret).toBe('😀'.repeat(16));
  });
});
