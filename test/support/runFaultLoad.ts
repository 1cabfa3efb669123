import { expect } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { replicated } from '../../src/store/replicated.js';
import { apiClient, appToken, graph } from './graph.js';
import { redeem, relyingParty, signIn } from './rp.js';
import { startTestServer, TEST_CLIENT, testConfig, type TestServer } from './testServer.js';

const ADMIN_SCOPE = 'User.ReadWrite.All UserAuthMethod-TAP.ReadWrite.All';
/** The config of the instances under fault: the test tenant and an application that writes through the admin API. */
const faultConfig = () => testConfig({ clients: [TEST_CLIENT, apiClient('fault-admin', 'fault-admin-secret-0123456789', ADMIN_SCOPE.split(' '))] });

interface Sample {
  start: number;
  end: number;
  status: number;
  retryAfter: string | null;
  what: string;
}

/** What a fault run saw: every answer, and the numbers the README and the report quote. */
export interface FaultReport {
  requests: number;
  ok: number;
  unavailable: number;
  longestMs: number;
  longest503Ms: number;
  created: number;
  signIns: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two instances on `redisUrl` under sign-ins (TAP, through the whole flow, then the code redeemed) and admin writes
 * (a user, then a TAP for it), while `fault` runs (it kills a master). Then: every answer was a success, a refusal
 * the flow expects (4xx), or a 503 with `Retry-After`, never another 5xx nor a dropped connection; everything the
 * API acknowledged is there, with its audit record; every completed sign-in has its record. `waitReplicas` turns
 * the durability option on (a write no replica confirms answers 503, which the checks allow).
 */
export async function runFaultLoad(redisUrl: string, fault: () => Promise<void>, { workers = 2, afterMs = 5_000, waitReplicas = 0 } = {}): Promise<FaultReport> {
  const servers: TestServer[] = [];
  for (let i = 0; i < 2; i++) servers.push(await startTestServer(redisUrl, { config: faultConfig() }));
  // The durability option (REDIS_WAIT_REPLICAS), as the server's environment would set it.
  for (const s of servers) replicated.require(s.redis, { replicas: waitReplicas, timeoutMs: 500 });
  // What the provider answered 500 with, to name it when the test fails.
  const serverErrors: string[] = [];
  for (const s of servers) s.provider.on('server_error', (_ctx: unknown, err: Error) => serverErrors.push(`${err.name}: ${err.message} ${String((err.cause as Error | undefined)?.message ?? '')}`));
  const samples: Sample[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const what = `${init?.method ?? 'GET'} ${new URL(url).pathname}`;
    const start = Date.now();
    try {
      const res = await realFetch(input, init);
      samples.push({ start, end: Date.now(), status: res.status, retryAfter: res.headers.get('retry-after'), what });
      return res;
    } catch (e) {
      samples.push({ start, end: Date.now(), status: 0, retryAfter: null, what: `${what}: ${(e as Error).message}` });
      throw e;
    }
  };
  const created: { userId: string; upn: string; tapId: string; passcode: string }[] = [];
  const signedIn = new Map<string, number>();
  let running = true;
  let seq = 0;
  try {
    const ctx = await Promise.all(
      servers.map(async (s) => ({ s, rp: await relyingParty(s.url), token: await appToken(s.url, 'fault-admin', 'fault-admin-secret-0123456789', ADMIN_SCOPE) })),
    );
    const adminOp = async (i: number) => {
      const { s, token } = ctx[i]!;
      const n = ++seq;
      const upn = `fault-${n}@contoso.com`;
      const user = await graph(s.url, token, 'POST', '/users', { accountEnabled: true, displayName: `Fault ${n}`, mailNickname: `fault${n}`, userPrincipalName: upn });
      if (user.status !== 201) return;
      const tap = await graph(s.url, token, 'POST', `/users/${user.body.id as string}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 60, isUsableOnce: false });
      if (tap.status !== 201) return;
      created.push({ userId: user.body.id as string, upn, tapId: tap.body.id as string, passcode: tap.body.temporaryAccessPass as string });
    };
    const signInOp = async (i: number) => {
      const who = created[Math.floor(Math.random() * created.length)];
      if (!who) return adminOp(i);
      // On the instance the user was not necessarily created on: the two share everything through Redis.
      const flow = await signIn(ctx[i]!.rp, who.upn, { tap: who.passcode });
      if (!flow.callback) return;
      await redeem(ctx[i]!.rp, flow);
      signedIn.set(who.userId, (signedIn.get(who.userId) ?? 0) + 1);
    };
    const worker = async (i: number) => {
      while (running) {
        try {
          await (Math.random() < 0.4 ? adminOp(i) : signInOp(i));
        } catch {
          // A 503 breaks a flow half-way; each answer is judged from the samples.
          await sleep(20);
        }
      }
    };
    const load = Promise.all(servers.flatMap((_, i) => Array.from({ length: workers }, () => worker(i))));
    await sleep(1_500);
    await fault();
    await sleep(afterMs);
    running = false;
    await load;
  } finally {
    globalThis.fetch = realFetch;
  }

  const bad = samples.filter((x) => x.status === 0 || (x.status >= 500 && x.status !== 503));
  expect(bad.map((x) => `${x.status} ${x.what}`), serverErrors.join('\n')).toEqual([]);
  const unavailable = samples.filter((x) => x.status === 503);
  expect(unavailable.filter((x) => x.retryAfter === null).map((x) => x.what)).toEqual([]);
  for (const s of servers) expect(s.logs.filter((l) => /"msg":"(unhandled|graph\.error|audit\.write\.failed)"/.test(l))).toEqual([]);

  // Nothing lost: every acknowledged user and TAP, the TAP's audit record, each completed sign-in's record.
  const s0 = servers[0]!;
  // Both instances ready again (the failover over, the slots refreshed) before anything is looked up.
  const ready = Date.now() + 20_000;
  while (!(await Promise.all(servers.map((s) => fetch(`${s.url}/readyz`).then((r) => r.ok)))).every(Boolean)) {
    if (Date.now() > ready) throw new Error('the instances were not ready again within 20 s');
    await sleep(100);
  }
  const token = await appToken(s0.url, 'fault-admin', 'fault-admin-secret-0123456789', ADMIN_SCOPE);
  for (const c of created) {
    expect((await graph(s0.url, token, 'GET', `/users/${c.userId}/authentication/temporaryAccessPassMethods/${c.tapId}`)).status, c.upn).toBe(200);
  }
  // Records kept through the failover are written once Redis answers again: wait for the backlog to drain. An
  // instance may defer and catch up more than once during one failover, so its last word on it is what counts.
  const drained = (s: TestServer) => {
    const marks = s.logs.filter((l) => l.includes('"msg":"audit.write.deferred"') || l.includes('"msg":"audit.write.caughtUp"'));
    return marks.length === 0 || marks.at(-1)!.includes('"msg":"audit.write.caughtUp"');
  };
  const until = Date.now() + 15_000;
  while (!servers.every(drained) && Date.now() < until) await sleep(100);
  const directoryAudit = JSON.stringify(await s0.redis.xrange(keys.auditDirectory(), '-', '+'));
  for (const c of created) expect(directoryAudit, `audit of ${c.tapId}`).toContain(c.tapId);
  const signIns = (await s0.redis.xrange(keys.auditSignIns(), '-', '+')).map(([, fields]) => fields.join(' '));
  for (const [userId, n] of signedIn) {
    expect(signIns.filter((r) => r.includes(userId) && r.includes('"succeeded":true')).length, `sign-ins of ${userId}`).toBeGreaterThanOrEqual(n);
  }
  for (const s of servers) await s.close();
  const mine = samples.filter((x) => !x.what.includes('/.well-known/'));
  return {
    requests: mine.length,
    ok: mine.filter((x) => x.status < 400).length,
    unavailable: unavailable.length,
    longestMs: Math.max(...mine.map((x) => x.end - x.start)),
    longest503Ms: Math.max(0, ...unavailable.map((x) => x.end - x.start)),
    created: created.length,
    signIns: [...signedIn.values()].reduce((a, b) => a + b, 0),
  };
}
