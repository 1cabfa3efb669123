import { ConfigError } from '../errors.js';

/** One host and port of a Redis URL. */
export interface RedisNode {
  host: string;
  port: number;
}

/** What a `REDIS_URL` asks for, read in one place for the server, the CLI and the tests. */
export interface RedisTarget {
  kind: 'single' | 'cluster' | 'sentinel';
  /** Every host:port listed (one for `single`; the seed nodes of a cluster; the sentinels). */
  nodes: RedisNode[];
  /** TLS to Redis (the `rediss` schemes). */
  tls: boolean;
  username?: string;
  password?: string;
  /** Sentinel: the monitored master's name (the path). */
  masterName?: string;
  /** Single: the database number (the path); Cluster and Sentinel use database 0. */
  db?: number;
}

const SCHEMES: Record<string, { kind: RedisTarget['kind']; tls: boolean }> = {
  'redis:': { kind: 'single', tls: false },
  'rediss:': { kind: 'single', tls: true },
  'redis+cluster:': { kind: 'cluster', tls: false },
  'rediss+cluster:': { kind: 'cluster', tls: true },
  'redis+sentinel:': { kind: 'sentinel', tls: false },
  'rediss+sentinel:': { kind: 'sentinel', tls: true },
};

/**
 * Read `REDIS_URL`: `redis[s]://[user:pass@]host:port[/db]`, `redis[s]+cluster://[user:pass@]h1:p1,h2:p2` and
 * `redis[s]+sentinel://[user:pass@]h1:p1,h2:p2/<master>`. The credentials are those of Redis (the same on every
 * node, and on the sentinels, as managed services and the deploy/ example set them); percent-escapes in them are
 * decoded. A mistake is a ConfigError naming REDIS_URL, never echoing the password.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const m = /^([a-z+]+:)\/\/(?:([^@/]*)@)?([^/?#]*)(?:\/([^?#]*))?$/i.exec(url.trim());
  const scheme = SCHEMES[m?.[1]?.toLowerCase() ?? ''];
  if (!m || !scheme) {
    throw new ConfigError('REDIS_URL', 'must be redis://, rediss://, redis+cluster://, rediss+cluster://, redis+sentinel:// or rediss+sentinel://');
  }
  const [, , auth, hostList = '', path = ''] = m;
  const target: RedisTarget = { kind: scheme.kind, tls: scheme.tls, nodes: hostList.split(',').map(parseNode) };
  if (auth) {
    const colon = auth.indexOf(':');
    const user = decode(colon < 0 ? auth : auth.slice(0, colon));
    const pass = colon < 0 ? '' : decode(auth.slice(colon + 1));
    // `redis://secret@host` is how many tools write a password alone (Redis before ACLs).
    if (colon < 0) target.password = user;
    else {
      if (user) target.username = user;
      if (pass) target.password = pass;
    }
  }
  if (target.kind === 'single' && target.nodes.length > 1) {
    throw new ConfigError('REDIS_URL', 'lists several hosts: use redis+cluster:// for a Cluster or redis+sentinel://…/<master> for Sentinel');
  }
  if (target.kind === 'sentinel') {
    if (!path) throw new ConfigError('REDIS_URL', 'redis+sentinel:// needs the master name as its path: redis+sentinel://h1:26379,h2:26379/mymaster');
    target.masterName = decode(path);
  } else if (path) {
    if (target.kind === 'cluster' || !/^\d+$/.test(path)) throw new ConfigError('REDIS_URL', `has a path "/${path}" where ${target.kind === 'cluster' ? 'a Cluster takes none' : 'only a database number fits'}`);
    target.db = Number(path);
  }
  return target;
}

function parseNode(hp: string): RedisNode {
  // [::1]:6379, host:6379, host (default port).
  const m = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d+))?$/.exec(hp.trim());
  if (!m) throw new ConfigError('REDIS_URL', `"${hp}" is not host:port`);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = m[2] === undefined ? 6379 : Number(m[2]);
  if (port < 1 || port > 65535) throw new ConfigError('REDIS_URL', `"${hp}" has no valid port`);
  return { host, port };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ConfigError('REDIS_URL', 'has a badly percent-encoded user or password');
  }
}
