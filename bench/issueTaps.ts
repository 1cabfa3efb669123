import { randomUUID } from 'node:crypto';
import type * as ConnectModule from '../src/store/connectRedis.ts';
import type * as ServicesModule from '../src/createServices.ts';
import type * as KeysModule from '../src/store/keys.ts';
import type * as DirectoryModule from '../src/directory/Directory.ts';
import type * as ParseConfigModule from '../src/config/parseConfig.ts';
import type { TapUser } from './flows.ts';

const dist = new URL('../dist/', import.meta.url);
const load = async <T>(file: string) => (await import(new URL(file, dist).href)) as T;

/** A user of the bench deployment with their id, as the server imported them. */
export interface IssuedTap extends TapUser {
  userId: string;
}

/** Who issues the bench's TAPs, in the audit log. */
const BENCH = { actor: { type: 'system', id: 'bench' } } as const;

/** The product's own services (the ones the server and CLI build), on their own connection. */
async function services(redisUrl: string, tapSecret: string) {
  const { connectRedis } = await load<typeof ConnectModule>('store/connectRedis.js');
  const { createServices } = await load<typeof ServicesModule>('createServices.js');
  const { parseConfig } = await load<typeof ParseConfigModule>('config/parseConfig.js');
  const { keys } = await load<typeof KeysModule>('store/keys.js');
  const { Directory } = await load<typeof DirectoryModule>('directory/Directory.js');
  const redis = connectRedis(redisUrl);
  const silent = { info() {}, warn() {}, error() {} };
  // Only TAPs are issued: no keys to sign with, and the issuer names nothing the bench reaches.
  const secrets = { tapSecret, cookieKeys: [], jwks: { keys: [] } };
  const { directory, taps, audit } = createServices({ redis, config: parseConfig({}), secrets, issuer: 'http://localhost', logger: silent });
  // The records are written straight into the Redis directory (the default one, `directory` reads it).
  return { redis, directory, store: new Directory(redis, audit), taps, keys };
}

/** Redis memory of users and TAPs, from used_memory growth over many records. */
export interface RecordMemory {
  records: number;
  /** A user as the directory stores one (record, UPN index, set of all users, one group). */
  perUserBytes: number;
  /** A stored TAP (the hash, with its expiry). */
  perTapBytes: number;
}

/**
 * Store `n` synthetic users (as a config import would) and give each a TAP, through the product's own Directory
 * and TapService, and measure used_memory growth per record with `usedMemory` (read with the connection closed,
 * so its buffers do not count).
 */
export async function measureRecordMemory(redisUrl: string, tapSecret: string, n: number, usedMemory: () => Promise<number>): Promise<RecordMemory> {
  const users = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    userPrincipalName: `mem${String(i).padStart(7, '0')}@bench.test`,
    displayName: `Memory User ${i}`,
    userType: 'Member' as const,
    roles: [],
    groups: ['staff'],
    createdDateTime: new Date().toISOString(),
  }));
  type Services = Awaited<ReturnType<typeof services>>;
  /** With `audited`, the growth of the audit log in the step (issuing a TAP is audited) is not counted. */
  const step = async (fn: (s: Services, u: (typeof users)[number]) => Promise<unknown>, opts: { audited?: boolean } = {}) => {
    const s = await services(redisUrl, tapSecret);
    const auditBytes = async () => (opts.audited ? Number(await s.redis.memory('USAGE', s.keys.auditDirectory(), 'SAMPLES', 0)) || 0 : 0);
    let audited: number;
    try {
      const before = await auditBytes();
      for (let i = 0; i < users.length; i += 64) await Promise.all(users.slice(i, i + 64).map((u) => fn(s, u)));
      audited = (await auditBytes()) - before;
    } finally {
      s.redis.disconnect();
    }
    await new Promise((r) => setTimeout(r, 100));
    return (await usedMemory()) - audited;
  };
  const m0 = await usedMemory();
  const m1 = await step((s, u) => s.store.save(u));
  const m2 = await step((s, u) => s.taps.create(u, { lifetimeInMinutes: 480, isUsableOnce: false }, BENCH), { audited: true });
  return { records: n, perUserBytes: Math.round((m1 - m0) / n), perTapBytes: Math.round((m2 - m1) / n) };
}

/**
 * Issue a multi-use TAP of `lifetimeInMinutes` to each of `upns`, through the product's own TapService (the
 * code the admin API and CLI use), `parallel` at a time.
 */
export async function issueTaps(redisUrl: string, tapSecret: string, upns: string[], lifetimeInMinutes: number, parallel = 16): Promise<IssuedTap[]> {
  const { redis, directory, taps } = await services(redisUrl, tapSecret);
  const out: IssuedTap[] = [];
  try {
    for (let i = 0; i < upns.length; i += parallel) {
      const batch = await Promise.all(
        upns.slice(i, i + parallel).map(async (upn) => {
          const user = await directory.findByUpn(upn);
          if (!user) throw new Error(`bench: user ${upn} was not imported`);
          const tap = await taps.create(user, { lifetimeInMinutes, isUsableOnce: false }, BENCH);
          return { upn, userId: user.id, passcode: tap.temporaryAccessPass! };
        }),
      );
      out.push(...batch);
    }
  } finally {
    redis.disconnect();
  }
  return out;
}
