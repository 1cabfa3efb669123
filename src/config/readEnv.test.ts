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
