import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLog } from '../src/audit/AuditLog.js';
import { RedisAuditLog } from '../src/audit/RedisAuditLog.js';
import type { AppConfig } from '../src/config/AppConfig.js';
import type { Store } from '../src/store/connectRedis.js';
import { keys } from '../src/store/keys.js';
import { Browser, formAction, pageError } from './support/Browser.js';
import { byTest } from './support/byTest.js';
import { startTestRedis } from './support/redis.js';
import { relyingParty, signIn, startAuthorization } from './support/rp.js';
import { startTestServer, testConfig, type TestServer } from './support/testServer.js';
import { postForm } from './support/postForm.js';

/*
 * Denial of service and resource growth: what anonymous traffic may cost the deployment, in memory, in Redis and
 * in CPU, and how the per-address limits count IPv6 and IPv4-mapped addresses.
 */

/** One server of its own, with its own redis-server, for one describe block. */
function useServer(opts: { config?: () => AppConfig; trustProxy?: boolean; metricsToken?: string }, ready: (s: TestServer) => void) {
  let redis: Awaited<ReturnType<typeof startTestRedis>> | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startTestServer(redis.url, {
      ...(opts.config ? { config: opts.config() } : {}),
      trustProxy: opts.trustProxy ?? false,
      ...(opts.metricsToken ? { metricsToken: opts.metricsToken } : {}),
    });
    ready(server);
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });
}

/** Run `task` for 0…count-1, at most `width` at a time. */
async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

/** The series of a Prometheus text exposition: every line that is not a comment. */
function series(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#'));
}

/** The value of one series of a Prometheus text exposition (0 when absent). */
function sample(text: string, name: string): number {
  const line = series(text).find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Every key in Redis with its type and remaining life (ms; -1 for none). */
async function scanKeys(r: Store): Promise<Map<string, { type: string; pttl: number }>> {
  const out = new Map<string, { type: string; pttl: number }>();
  let cursor = '0';
  do {
    const [next, batch] = await r.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of batch) out.set(key, { type: await r.type(key), pttl: await r.pttl(key) });
  } while (cursor !== '0');
  return out;
}

const METRICS_TOKEN = 'metrics-token-0123456789-abcdef';

describe('the metrics endpoint', () => {
  let s: TestServer;
  useServer({ metricsToken: METRICS_TOKEN }, (x) => (s = x));
  const scrape = (headers: Record<string, string> = { authorization: `Bearer ${METRICS_TOKEN}` }) => fetch(`${s.url}/metrics`, { headers });

  it('keeps the same series however many unknown paths are asked for', async () => {
    const randomPath = () => `/${randomBytes(6).toString('hex')}/${'x'.repeat(200)}${randomBytes(16).toString('hex')}`;
    // One of each kind first (an unknown path, a scrape), so that the count below already holds their series.
    expect((await fetch(`${s.url}${randomPath()}`)).status).toBe(404);
    await scrape();
    const before = await (await scrape()).text();

    const statuses = await inParallel(1200, 16, async () => (await fetch(`${s.url}${randomPath()}`)).status);
    expect(statuses.every((st) => st === 404)).toBe(true);

    const after = await (await scrape()).text();
    expect(series(after).length).toBe(series(before).length);
    expect(after.length).toBeLessThan(8 * 1024);
    // The burst is counted, under the one label that every unknown path shares.
    expect(sample(after, 'oidc_tap_http_requests_total{route="other",status="4xx"}')).toBe(
      sample(before, 'oidc_tap_http_requests_total{route="other",status="4xx"}') + 1200,
    );
  });

  it('counts sign-in attempts by method and result, as they are audited', async () => {
    const rp = await relyingParty(s.url);
    const user = (await s.plugin.directory.findByUpn('jdoe@contoso.com'))!;
    const tap = await s.plugin.taps.create(user, { lifetimeInMinutes: 30 }, byTest);
    const name = (result: string) => `oidc_tap_signins_total{method="tap",result="${result}"}`;
    const before = await (await scrape()).text();
    expect((await signIn(rp, 'jdoe@contoso.com', { tap: 'WRONGWRONG' })).callback).toBeUndefined();
    expect((await signIn(rp, 'jdoe@contoso.com', { tap: tap.temporaryAccessPass! })).callback).toBeDefined();
    const after = await (await scrape()).text();
    expect(sample(after, name('failure'))).toBe(sample(before, name('failure')) + 1);
    expect(sample(after, name('success'))).toBe(sample(before, name('success')) + 1);
  });

  it('refuses a scrape without the configured bearer token', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}` }]) {
      const res = await scrape(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.text()).not.toContain('oidc_tap_');
    }
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('oidc_tap_http_requests_total');
  });
});

describe('anonymous traffic in Redis', () => {
  let s: TestServer;
  const KEPT = 40;
  useServer({ config: () => testConfig({ options: { unknownAccountSignInsKept: KEPT } }) }, (x) => (s = x));

  it('leaves nothing that lives longer than an hour, except the capped log of failed sign-ins under unknown names', async () => {
    const rp = await relyingParty(s.url);
    // A sign-in that really happened, so that the scan below starts from a deployment in use.
    expect((await signIn(rp, 'pat@contoso.com', { password: 'correct horse battery staple' })).callback).toBeDefined();
    const before = await scanKeys(s.redis);
    const signInsBefore = await s.redis.xlen(keys.auditSignIns());
    expect(signInsBefore).toBe(1);

    for (let i = 0; i < 10; i++) {
      // Sign-out without a session cookie.
      expect((await fetch(`${s.url}/session/end`, { redirect: 'manual' })).status).toBeLessThan(500);
      // Authorization requests oidc-provider refuses.
      expect((await fetch(`${s.url}/auth?client_id=nope&response_type=code&scope=openid`, { redirect: 'manual' })).status).toBeLessThan(500);
      expect((await fetch(`${s.url}/auth`, { redirect: 'manual' })).status).toBeLessThan(500);
      // The security-info page without a session, and interactions that do not exist.
      expect((await fetch(`${s.url}/account/security-info`, { redirect: 'manual' })).status).toBeLessThan(500);
      expect((await fetch(`${s.url}/interaction/made-up-${i}`, { redirect: 'manual' })).status).toBeLessThan(500);
      // The admin API and the token endpoint without valid credentials.
      expect((await fetch(`${s.url}/v1.0/users`)).status).toBe(401);
      expect((await fetch(`${s.url}/v1.0/users`, { headers: { authorization: 'Bearer made-up' } })).status).toBe(401);
      const basic = `Basic ${Buffer.from(`made-up-${i}:secret`).toString('base64')}`;
      const token = await fetch(`${s.url}/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      expect(token.status).toBe(401);
    }
    // Sign-in pages with made-up names: identifier, TAP and password steps, and the pages themselves.
    let failed = 0;
    for (let i = 0; i < 6; i++) {
      const a = await startAuthorization(rp);
      const base = formAction(a.html, a.url).replace(/\/identifier$/, '');
      expect((await a.browser.follow(`${base}`)).res.status).toBe(200);
      expect((await a.browser.follow(`${base}/method/tap?username=ghost${i}@contoso.com`)).res.status).toBe(200);
      expect((await postForm(a.browser, `${base}/identifier`, { username: `ghost${i}@contoso.com` })).res.status).toBe(200);
      expect((await postForm(a.browser, `${base}/method/password`, { username: `ghost${i}@contoso.com`, password: 'guess' })).res.status).toBe(400);
      failed++;
      for (let j = 0; j < 10; j++) {
        expect((await postForm(a.browser, `${base}/method/tap`, { username: `ghost${i}-${j}@nowhere.test`, tap: 'WRONGPASS' })).res.status).toBe(400);
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(KEPT);

    const after = await scanKeys(s.redis);
    const added = [...after].filter(([k]) => !before.has(k));
    expect(added.length).toBeGreaterThan(0);
    const longLived = added.filter(([k, v]) => k !== keys.auditUnknownSignIns() && (v.pttl < 0 || v.pttl > 3600 * 1000));
    expect(longLived.map(([k, v]) => `${k} ${v.type} ${v.pttl}`)).toEqual([]);
    // The failures under unknown names are a log of their own, capped by count, not the 30-day sign-ins log.
    expect(await s.redis.xlen(keys.auditSignIns())).toBe(signInsBefore);
    expect(await s.redis.xlen(keys.auditUnknownSignIns())).toBe(KEPT);
    // …and still readable through the sign-ins log, newest first.
    const page = await s.plugin.audit.querySignIns({ filter: "userPrincipalName eq 'ghost5-9@nowhere.test'" });
    expect(page.value).toHaveLength(1);
    expect(page.value[0]).toMatchObject({ userId: null, status: { failureReason: expect.any(String) } });
    expect((await s.plugin.audit.querySignIns({ filter: "userPrincipalName eq 'ghost0@contoso.com'" })).value).toHaveLength(0);
  });
});

/** Every sign-in record whose name starts with `prefix`, page by page. */
async function allPages(audit: AuditLog, prefix: string, top: number): Promise<string[]> {
  const seen: string[] = [];
  let skipToken: string | undefined;
  do {
    const page = await audit.querySignIns({ top, filter: `startswith(userPrincipalName, '${prefix}')`, ...(skipToken ? { skipToken } : {}) });
    seen.push(...page.value.map((r) => String(r.userPrincipalName)));
    skipToken = page.nextSkipToken;
  } while (skipToken);
  return seen;
}

describe('the sign-ins log of known and unknown names', () => {
  let s: TestServer;
  useServer({}, (x) => (s = x));

  it('pages through both, newest first, losing and repeating none', async () => {
    const audit = s.plugin.audit;
    const expected: string[] = [];
    for (let i = 0; i < 9; i++) {
      // Known accounts' records (a failure too) in the sign-ins log, made-up names' failures in the capped one.
      const known = i % 3 !== 0;
      const upn = `paging-${i}@${known ? 'contoso.com' : 'nowhere.test'}`;
      await audit.recordSignIn({ ...(known ? { userId: `u-paging-${i}` } : {}), userPrincipalName: upn, method: 'tap', result: known && i % 2 ? 'success' : 'failure', reason: 'WrongPasscode', ip: '198.51.100.1' });
      expected.unshift(upn);
      s.clock.advance(1);
    }
    expect(await allPages(audit, 'paging-', 2)).toEqual(expected);
    expect(await s.redis.xlen(keys.auditUnknownSignIns())).toBe(3);
  });

  it('pages through records of both logs stored in the same millisecond, losing and repeating none', async () => {
    // A clock that stands still: every record gets the same time, so the two logs hold entries of equal ids.
    const at = s.clock.now() + 60_000;
    const audit = new RedisAuditLog(s.redis, { retentionDays: 30, unknownAccountsKept: 100, clock: { now: () => at }, log: s.plugin.logger });
    const upns: string[] = [];
    for (let i = 0; i < 7; i++) {
      const known = i % 2 === 0;
      const upn = `tie-${i}@${known ? 'contoso.com' : 'nowhere.test'}`;
      await audit.recordSignIn({ ...(known ? { userId: `u-tie-${i}` } : {}), userPrincipalName: upn, method: 'tap', result: 'failure', reason: 'WrongPasscode' });
      upns.push(upn);
    }
    for (const top of [1, 2, 3]) {
      const seen = await allPages(audit, 'tie-', top);
      expect([...seen].sort(), `$top=${top}`).toEqual([...upns].sort());
    }
  });
});

describe('the password step under a flood', () => {
  let s: TestServer;
  useServer({ trustProxy: true, config: () => testConfig({ options: { rateLimits: { passwordPerAddress: { limit: 5, windowSeconds: 600 } } } }) }, (x) => (s = x));
  const hashes = async () => sample(await (await fetch(`${s.url}/metrics`)).text(), 'oidc_tap_password_hashes_total');

  it('hashes at most the per-address limit of password posts from one address', async () => {
    const a = await startAuthorization(await relyingParty(s.url));
    const action = formAction(a.html, a.url).replace(/\/identifier$/, '/method/password');
    const start = await hashes();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await postForm(a.browser, action, { username: `flood${i}@contoso.com`, password: 'guess' }, { 'x-forwarded-for': '198.51.100.7' })).res.status);
    expect(statuses).toEqual([...Array<number>(5).fill(400), ...Array<number>(7).fill(429)]);
    expect((await hashes()) - start).toBe(5);
    // Another address is not held up by it.
    expect((await postForm(a.browser, action, { username: 'flood@contoso.com', password: 'guess' }, { 'x-forwarded-for': '198.51.100.8' })).res.status).toBe(400);
  });

  it('hashes a bounded number at once from many addresses, answers the rest busy, and the TAP step still answers', async () => {
    const rp = await relyingParty(s.url);
    const a = await startAuthorization(rp);
    const action = formAction(a.html, a.url).replace(/\/identifier$/, '/method/password');
    const start = await hashes();
    const FLOOD = 120;
    let tapStep: Promise<{ status: number; ms: number }> | undefined;
    const flood = inParallel(FLOOD, 60, async (i) => {
      if (i === 30) {
        // A real user's identifier step in the middle of the flood: no hashing, so not held behind it.
        tapStep = (async () => {
          const t0 = performance.now();
          const user = await startAuthorization(rp);
          const r = await user.browser.submit(formAction(user.html, user.url), { username: 'pat@contoso.com' });
          return { status: r.res.status, ms: performance.now() - t0 };
        })();
      }
      const r = await postForm(a.browser, action, { username: `wave${i}@contoso.com`, password: 'guess' }, { 'x-forwarded-for': `203.0.113.${i % 250}` });
      return { status: r.res.status, retryAfter: r.res.headers.get('retry-after'), error: pageError(r.html) };
    });
    const answers = await flood;
    const busy = answers.filter((r) => r.status === 503);
    const checked = answers.filter((r) => r.status === 400);
    expect(busy.length + checked.length).toBe(FLOOD);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]).toMatchObject({ retryAfter: '1', error: expect.stringMatching(/busy/i) });
    // Only the admitted posts were hashed; the refused ones cost no scrypt.
    expect((await hashes()) - start).toBe(checked.length);
    const t = await tapStep!;
    expect(t.status).toBe(200);
    expect(t.ms).toBeLessThan(10_000);
  });
});

describe('the per-address limits with IPv6 and mapped IPv4', () => {
  let s: TestServer;
  useServer({ trustProxy: true, config: () => testConfig({ options: { rateLimits: { signInPerAddress: { limit: 3, windowSeconds: 3600 } } } }) }, (x) => (s = x));

  async function identifierPosts(froms: string[]) {
    const a = await startAuthorization(await relyingParty(s.url), {}, new Browser());
    const action = formAction(a.html, a.url);
    const out: number[] = [];
    for (const [i, from] of froms.entries()) out.push((await postForm(a.browser, action, { username: `v6-${i}-${randomBytes(4).toString('hex')}@contoso.com` }, { 'x-forwarded-for': from })).res.status);
    return out;
  }

  it('counts every address of one IPv6 /64 in one bucket, and another /64 in its own', async () => {
    expect(await identifierPosts(['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:DB8:1:2:0:0:0:9'])).toEqual([200, 200, 200, 429]);
    expect(await identifierPosts(['2001:db8:1:3::1'])).toEqual([200]);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address, and ::1 as 127.0.0.1', async () => {
    expect(await identifierPosts(['::ffff:198.51.100.20', '198.51.100.20', '::ffff:c633:6414', '198.51.100.20'])).toEqual([200, 200, 200, 429]);
    expect(await identifierPosts(['::1', '::ffff:127.0.0.1', '127.0.0.1', '0:0:0:0:0:0:0:1'])).toEqual([200, 200, 200, 429]);
  });
});
