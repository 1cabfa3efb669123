import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from './parseRedisUrl.js';

describe('parseRedisUrl', () => {
  it('reads a single Redis, with TLS, credentials and a database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380')).toEqual({ kind: 'single', tls: false, nodes: [{ host: '127.0.0.1', port: 6380 }] });
    expect(parseRedisUrl('rediss://app:p%40ss@redis.example:6390/2')).toEqual({
      kind: 'single', tls: true, nodes: [{ host: 'redis.example', port: 6390 }], username: 'app', password: 'p@ss', db: 2,
    });
    expect(parseRedisUrl('redis://:secret@h')).toMatchObject({ password: 'secret', nodes: [{ host: 'h', port: 6379 }] });
    expect(parseRedisUrl('redis://secret@h').password).toBe('secret');
  });

  it('reads a Cluster: seed nodes, user:pass@, rediss+cluster for TLS', () => {
    expect(parseRedisUrl('redis+cluster://:secret@a:7000,b:7001,[::1]:7002')).toEqual({
      kind: 'cluster', tls: false, password: 'secret', nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }, { host: '::1', port: 7002 }],
    });
    expect(parseRedisUrl('rediss+cluster://u:p@a:7000')).toMatchObject({ kind: 'cluster', tls: true, username: 'u', password: 'p' });
  });

  it('reads Sentinel: the sentinels and the master name', () => {
    expect(parseRedisUrl('redis+sentinel://u:p@s1:26379,s2:26380/mymaster')).toEqual({
      kind: 'sentinel', tls: false, username: 'u', password: 'p', masterName: 'mymaster', nodes: [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }],
    });
    expect(parseRedisUrl('rediss+sentinel://s1:26379/m').tls).toBe(true);
  });

  it('refuses what it cannot read in one line naming REDIS_URL, never echoing the password', () => {
    for (const [url, problem] of [
      ['http://h:1', /must be redis:\/\//],
      ['redis://a:1,b:2', /use redis\+cluster/],
      ['redis+sentinel://s1:26379', /needs the master name/],
      ['redis+cluster://a:1/3', /a Cluster takes none/],
      ['redis://:hunter2@h:99999', /no valid port/],
    ] as const) {
      let err: Error | undefined;
      try {
        parseRedisUrl(url);
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message, url).toMatch(/^REDIS_URL: /);
      expect(err?.message, url).toMatch(problem);
      expect(err?.message).not.toContain('hunter2');
    }
  });
});
