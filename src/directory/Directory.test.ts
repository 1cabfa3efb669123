import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { RequestScope } from '../store/RequestScope.js';
import { requestScopedClient } from '../store/requestScopedClient.js';
import type { TestServices } from '../../test/support/testServices.js';
import { useTestServices } from '../../test/support/useTestServices.js';
import { byTest } from '../../test/support/byTest.js';
import { Directory } from './Directory.js';
import type { User } from './User.js';

let s: TestServices;
useTestServices({}, (x) => (s = x));

/** `store`, except that a plain SET of `key` (not a claim: SET NX) waits until `release` is called. */
function holdingSetOf(store: Store, key: string): { store: Store; release: () => void } {
  let release = () => undefined as void;
  const released = new Promise<void>((r) => (release = r));
  let held = false;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'set' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (!held && args[0] === key && args.length === 2) {
          held = true;
          await released;
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  return { store: proxy, release };
}

async function renamed(directory: Directory, user: User, upn: string): Promise<boolean> {
  if (!(await directory.claimUpn(upn, user.id))) return false;
  const next = { ...user, userPrincipalName: upn };
  if (await directory.update(next, user, byTest)) return true;
  await directory.releaseUpn(upn, user.id);
  return false;
}

/** A user stored as the admin API creates one (name claimed, then the record), named `<prefix>-<id>@contoso.com`. */
async function storedUser(directory: Directory, prefix: string): Promise<User> {
  const id = randomUUID();
  const user: User = { id, userPrincipalName: `${prefix}-${id}@contoso.com`, displayName: prefix, userType: 'Member', roles: [], groups: [], createdDateTime: new Date().toISOString() };
  await directory.claimUpn(user.userPrincipalName, id);
  await directory.create(user, byTest);
  return user;
}

describe('Directory renames', () => {
  it('leave no name pointing at the user once a later rename gave it up, however late the earlier rename’s writes run', async () => {
    const plain = new Directory(s.redis, s.audit);
    const user = await storedUser(plain, 'zero');
    const id = user.id;

    // Rename A (to first-) runs on a server whose Redis writes after the record are slow: anything it sets under
    // the first name's key waits until rename B (to second-) has finished.
    const first = `first-${id}@contoso.com`;
    const second = `second-${id}@contoso.com`;
    const slow = holdingSetOf(s.redis, keys.upn(first));
    const a = renamed(new Directory(slow.store, s.audit), user, first);
    // A's compare-and-set has landed once the record carries the first name.
    for (let i = 0; i < 200 && (await plain.findById(id))?.userPrincipalName !== first; i++) await new Promise((r) => setTimeout(r, 5));
    const afterA = (await plain.findById(id))!;
    expect(afterA.userPrincipalName).toBe(first);
    expect(await renamed(plain, afterA, second)).toBe(true);
    slow.release();
    expect(await a).toBe(true);

    expect((await plain.findById(id))!.userPrincipalName).toBe(second);
    expect((await plain.findByUpn(second))?.id).toBe(id);
    expect(await plain.findByUpn(first)).toBeUndefined();
    expect(await plain.findByUpn(user.userPrincipalName)).toBeUndefined();
  });
});

describe('Directory seeding', () => {
  it('makes one user of a config seed that several instances import at the same moment', async () => {
    const upn = `seeded-${randomUUID()}@contoso.com`;
    const seed = { userPrincipalName: upn, displayName: 'Seeded', userType: 'Member' as const, roles: [], groups: ['staff'] };
    // Each instance has its own directory on the shared Redis, as servers starting together do.
    const imported = await Promise.all(Array.from({ length: 4 }, () => new Directory(s.redis, s.audit).importSeed(seed)));
    const plain = new Directory(s.redis, s.audit);
    const found = (await plain.list()).filter((u) => u.userPrincipalName === upn);
    expect(found.map((u) => u.id)).toEqual([(await plain.findByUpn(upn))!.id]);
    expect(new Set(imported.map((u) => u.id))).toEqual(new Set([found[0]!.id]));
    expect(await s.redis.smembers(keys.group('staff'))).toEqual([found[0]!.id]);
  });
});

describe('Directory seeding after an instance stopped half-way', () => {
  it('takes over a seeded name that points at no user, once that has lasted a while, instead of waiting on it', async () => {
    const upn = `abandoned-${randomUUID()}@contoso.com`;
    // An instance claimed the name for a user it never stored.
    await s.redis.set(keys.upn(upn), randomUUID());
    const user = await new Directory(s.redis, s.audit).importSeed({ userPrincipalName: upn, displayName: 'Abandoned', userType: 'Member', roles: [], groups: [] });
    const plain = new Directory(s.redis, s.audit);
    expect((await plain.findByUpn(upn))?.id).toBe(user.id);
    expect((await plain.list()).filter((u) => u.userPrincipalName === upn)).toHaveLength(1);
  });
});

describe('Directory claims of a name', () => {
  it('wait on a rename under way instead of taking its name over, and are refused once it lands', async () => {
    const user = await storedUser(new Directory(s.redis, s.audit), 'before');
    const plain = new Directory(s.redis, s.audit);
    const wanted = user.userPrincipalName.replace('before-', 'after-');
    // The rename has claimed the name; its record is written a moment later, while another claim asks for it.
    expect(await plain.claimUpn(wanted, user.id)).toBe(true);
    const rival = new Directory(s.redis, s.audit).claimUpn(wanted, randomUUID());
    await new Promise((r) => setTimeout(r, 100));
    expect(await plain.update({ ...user, userPrincipalName: wanted }, user, byTest)).toBe(true);
    await plain.releaseUpn(user.userPrincipalName, user.id);
    expect(await rival).toBe(false);
    expect((await plain.findByUpn(wanted))?.id).toBe(user.id);
  });

  it('made inside a request (the admin API’s) see the rename land, though the request keeps what it read', async () => {
    const user = await storedUser(new Directory(s.redis, s.audit), 'early');
    const plain = new Directory(s.redis, s.audit);
    const wanted = user.userPrincipalName.replace('early-', 'late-');
    expect(await plain.claimUpn(wanted, user.id)).toBe(true);
    // As the plugin gives it: reads within one request are asked once, unless the request writes their key.
    const scoped = new Directory(requestScopedClient(s.redis), s.audit);
    const rival = RequestScope.run(() => scoped.claimUpn(wanted, randomUUID()));
    await new Promise((r) => setTimeout(r, 100));
    expect(await plain.update({ ...user, userPrincipalName: wanted }, user, byTest)).toBe(true);
    await plain.releaseUpn(user.userPrincipalName, user.id);
    expect(await rival).toBe(false);
    expect((await plain.findByUpn(wanted))?.id).toBe(user.id);
  });
});
