import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords } from '../src/audit/auditRecords.js';
import type { User } from '../src/directory/User.js';
import { securityEventTypes } from '../src/events/securityEventTypes.js';
import { keys } from '../src/store/keys.js';
import { useDeployment } from './support/deployment.js';
import { freshUser as freshUserOf } from './support/freshUser.js';
import { formAction } from './support/Browser.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { signIn, startAuthorization, submitIdentifier } from './support/rp.js';
import { tapToPasskey } from './support/tapToPasskey.js';
import { REDIRECT_URI, testConfig, type TestClock, type TestServer, TEST_CLIENT } from './support/testServer.js';
import { issueTap } from './support/issueTap.js';

/*
 * The issue's "Security events": a configured webhook receives a Security Event Token (RFC 8417), signed with the
 * provider's keys, when a TAP is issued, used, locked out or deleted and when a passkey is added or removed;
 * deliveries retry with backoff and never block a request.
 */

const AUDIENCE = 'https://receiver.example';
const HR_SECRET = 'hr-feed-secret-0123456789-0123456789';

/** A push receiver (RFC 8935) that answers 202, or holds every request open without answering. */
class Receiver {
  readonly tokens: string[] = [];
  /** jti of every request that reached the receiver, answered or not. */
  readonly attempts: string[] = [];
  mode: 'ok' | 'hang' = 'ok';
  private readonly held = new Set<http.ServerResponse>();
  private readonly server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      this.attempts.push(String(decodeJwt(body).jti));
      if (req.headers['content-type'] !== 'application/secevent+jwt') return void res.writeHead(400).end('{"err":"invalid_request"}');
      if (this.mode === 'hang') return void this.held.add(res);
      this.tokens.push(body);
      res.writeHead(202).end();
    });
  });
  url = '';

  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  release() {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }

  async close() {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const receiver = new Receiver();
beforeAll(async () => {
  await receiver.start();
});
afterAll(async () => {
  await receiver.close();
});

let server: TestServer;
let rp: client.Configuration;
let clock: TestClock;
useDeployment(
  {
    // WebAuthn needs a host name, not an IP address.
    host: 'localhost',
    config: () =>
      testConfig({
        clients: [TEST_CLIENT, apiClient('hr-feed', HR_SECRET, ['User.ReadWrite.All'])],
        options: { tapDelayAfterFailures: 2, tapLockAfterFailures: 3, tapLockAfterTotalFailures: 3 },
        securityEvents: { url: receiver.url, audience: AUDIENCE, maxAttempts: 20, backoffMs: 200, timeoutMs: 400 },
      }),
  },
  (d) => ({ server, rp, clock } = d),
);

type SecEvent = JWTPayload & { sub_id: { format: string; iss: string; sub: string }; events: Record<string, Record<string, unknown>> };

/** Verify a token as a receiver must: signature against the provider's /jwks, typ, issuer, audience. */
async function verify(token: string): Promise<SecEvent> {
  const jwks = createRemoteJWKSet(new URL(`${server.url}/jwks`));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { typ: 'secevent+jwt', issuer: server.url, audience: AUDIENCE });
  expect(protectedHeader.typ).toBe('secevent+jwt');
  return payload as SecEvent;
}

/** The verified tokens about one user, waiting up to a few seconds for `count` of them. */
async function setsFor(user: User, count: number, timeoutMs = 5000): Promise<SecEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mine = (await Promise.all(receiver.tokens.map(verify))).filter((s) => s.sub_id.sub === user.id);
    if (mine.length >= count || Date.now() > deadline) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const freshUser = () => freshUserOf(server, 'events');

const admin = { type: 'user', id: 'u-admin', userPrincipalName: 'admin@contoso.com' } as const;

describe('security events', () => {
  it('pushes a credential-change update when a second administrator approves a pending TAP of an administrator (the two-person rule)', async () => {
    const user = await server.plugin.directory.importSeed({ userPrincipalName: 'events-admin@contoso.com', displayName: 'Events Admin', userType: 'Member', roles: ['GlobalReader'], groups: [] });
    const tap = await issueTap(server, user, { lifetimeInMinutes: 120 }, { actor: admin });
    expect(tap.methodUsabilityReason).toBe('PendingApproval');
    await server.plugin.taps.approve(user, tap.id, { actor: { type: 'user', id: 'u-second', userPrincipalName: 'second@contoso.com' } });
    const sets = await setsFor(user, 2);
    const approved = sets.find((s) => s.events[securityEventTypes.credentialChange]?.change_type === 'update');
    expect(approved!.events[securityEventTypes.credentialChange]).toMatchObject({
      credential_type: 'temporary-access-pass',
      change_type: 'update',
      initiating_entity: 'admin',
      credential_id: tap.id,
      reason_admin: { en: 'Admin approved temporary access pass method for user' },
    });
  });

  it('pushes one signed SET each when a TAP is issued, used and deleted', async () => {
    const user = await freshUser();
    const tap = await issueTap(server, user, { lifetimeInMinutes: 120 }, { actor: admin });
    expect((await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! })).callback).toBeDefined();
    await server.plugin.taps.delete(user, tap.id, { actor: admin });

    const sets = await setsFor(user, 3);
    expect(sets).toHaveLength(3);
    const byType = (uri: string, change?: string) =>
      sets.filter((s) => uri in s.events && (!change || s.events[uri]!.change_type === change));
    const [issued] = byType(securityEventTypes.credentialChange, 'create');
    const [used] = byType(securityEventTypes.tapUsed);
    const [deleted] = byType(securityEventTypes.credentialChange, 'delete');
    expect(issued!.events[securityEventTypes.credentialChange]).toMatchObject({
      credential_type: 'temporary-access-pass',
      change_type: 'create',
      initiating_entity: 'admin',
      credential_id: tap.id,
      reason_admin: { en: 'Admin registered temporary access pass method for user' },
    });
    expect(used!.events[securityEventTypes.tapUsed]).toMatchObject({ tap_id: tap.id, client_id: 'test-rp', initiating_entity: 'user' });
    expect(deleted!.events[securityEventTypes.credentialChange]).toMatchObject({ credential_type: 'temporary-access-pass', change_type: 'delete' });
    for (const s of sets) {
      expect(s.sub_id).toEqual({ format: 'iss_sub', iss: server.url, sub: user.id });
      expect(typeof s.jti).toBe('string');
      expect(Math.abs(s.iat! - Math.floor(clock.now() / 1000))).toBeLessThan(60);
      expect(Object.keys(s.events)).toHaveLength(1);
    }
    expect(new Set(sets.map((s) => s.jti)).size).toBe(3);
  });

  it('pushes a SET when wrong attempts lock a TAP out, once', async () => {
    const user = await freshUser();
    await issueTap(server, user, { lifetimeInMinutes: 120 }, { actor: admin });
    const upn = user.userPrincipalName;
    const attempt = async (passcode: string) => {
      const a = await startAuthorization(rp);
      const step = await submitIdentifier(a, upn);
      return a.browser.submit(formAction(step.html, step.url).replace(/\/method\/[^/?#]+$/, '/method/tap'), { username: upn, tap: passcode });
    };
    await attempt('WRONG-1');
    await attempt('WRONG-2');
    clock.advance(31_000);
    await attempt('WRONG-3');
    await attempt('WRONG-4');
    const sets = (await setsFor(user, 2)).filter((s) => securityEventTypes.tapLockedOut in s.events);
    expect(sets).toHaveLength(1);
    expect(sets[0]!.events[securityEventTypes.tapLockedOut]).toMatchObject({ initiating_entity: 'system' });
  });

  it('pushes passkey added and TAP deleted through a whole TAP-to-passkey journey, and passkey removed', async () => {
    // The browser would add nothing here: the journey over HTTP with the software authenticator.
    const user = await freshUser();
    const tap = await issueTap(server, user, { lifetimeInMinutes: 120 }, { actor: admin });
    const { done } = await tapToPasskey(rp, user.userPrincipalName, tap.temporaryAccessPass!, { params: { scope: 'openid' } });
    expect(done.url.startsWith(REDIRECT_URI)).toBe(true);

    const [passkey] = await server.plugin.passkeys.list(user.id);
    // The security-info page records the user's own deletion so; here as it would.
    await server.plugin.passkeys.delete(user, passkey!, auditRecords.selfContext(user));

    // Issued, used, passkey added, TAP deleted once the passkey signed in, passkey removed.
    const sets = await setsFor(user, 5);
    const changes = sets.map((s) => s.events[securityEventTypes.credentialChange]).filter((e) => e !== undefined);
    expect(changes.map((c) => `${c.credential_type}:${c.change_type}:${c.initiating_entity}`).sort()).toEqual([
      'fido2-platform:create:user',
      'fido2-platform:delete:user',
      'temporary-access-pass:create:admin',
      'temporary-access-pass:delete:system',
    ]);
    expect(changes.find((c) => c.credential_type === 'fido2-platform')).toMatchObject({ fido2_aaguid: passkey!.aaguid, credential_id: passkey!.id });
    expect(sets.filter((s) => securityEventTypes.tapUsed in s.events)).toHaveLength(1);

    const registered = await server.plugin.audit.queryDirectory({
      filter: `activityDisplayName eq 'User registered security info' and targetResources/any(t: t/id eq '${user.id}')`,
    });
    expect(registered.value).toHaveLength(1);
    expect(registered.value[0]).toMatchObject({ initiatedBy: { user: { id: user.id, ipAddress: '127.0.0.1' } }, resultReason: 'User registered passkey method' });
  });

  it('records and pushes the deletion of the TAP and of each passkey when a user holding them is deleted', async () => {
    const user = await freshUser();
    const tap = await issueTap(server, user, { lifetimeInMinutes: 120 }, { actor: admin });
    const passkey = await seedPasskey(server.redis, user.id);
    const token = await appToken(server.url, 'hr-feed', HR_SECRET, 'User.ReadWrite.All');
    expect((await graph(server.url, token, 'DELETE', `/users/${user.id}`)).status).toBe(204);

    const { value } = await server.plugin.audit.queryDirectory({ filter: `targetResources/any(t: t/id eq '${user.id}')` });
    const hr = { app: { appId: 'hr-feed', displayName: 'hr-feed', servicePrincipalId: null, servicePrincipalName: 'hr-feed' }, user: null };
    expect(value.map((r) => [r.activityDisplayName, r.resultReason])).toEqual([
      ['Delete user', ''],
      ['Admin deleted security info', 'Admin deleted passkey method for user'],
      ['Admin deleted security info', 'Admin deleted temporary access pass method for user'],
      ['Admin registered security info', 'Admin registered temporary access pass method for user'],
    ]);
    for (const r of value.slice(0, 3)) expect(r.initiatedBy).toEqual(hr);

    // Issued, then the TAP and the passkey deleted: each a credential change for the receiver.
    const sets = await setsFor(user, 3);
    const changes = sets.map((s) => s.events[securityEventTypes.credentialChange]).filter((e) => e !== undefined);
    expect(changes.map((c) => `${c.credential_type}:${c.change_type}:${c.initiating_entity}:${c.credential_id}`).sort()).toEqual([
      `fido2-platform:delete:admin:${passkey.id}`,
      `temporary-access-pass:create:admin:${tap.id}`,
      `temporary-access-pass:delete:admin:${tap.id}`,
    ]);
  });

  it('never makes a sign-in wait for a receiver that does not answer, and delivers once it answers again', async () => {
    const user = await freshUser();
    receiver.mode = 'hang';
    const tap = await issueTap(server, user, { lifetimeInMinutes: 120 }, { actor: admin });
    const started = performance.now();
    const flow = await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! });
    const elapsed = performance.now() - started;
    expect(flow.callback).toBeDefined();
    // A delivery attempt alone may take 400 ms (timeoutMs); the sign-in is several requests and waits for none.
    expect(elapsed).toBeLessThan(1000);

    // Both events were tried (and held) while the receiver hung…
    await new Promise((r) => setTimeout(r, 1200));
    expect((await setsFor(user, 1, 0)).length).toBe(0);
    const triedWhileDown = new Set(receiver.attempts);
    expect(server.logs.some((l) => l.includes('securityEvent.retry'))).toBe(true);

    // …and arrive, retried, once it answers.
    receiver.mode = 'ok';
    receiver.release();
    const sets = await setsFor(user, 2);
    expect(sets).toHaveLength(2);
    for (const s of sets) expect(triedWhileDown.has(String(s.jti))).toBe(true);
  });

  it('stops its delivery loop at once on shutdown, even with a delivery under way', async () => {
    const user = await freshUser();
    receiver.mode = 'hang';
    await issueTap(server, user, { lifetimeInMinutes: 120 }, { actor: admin });
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await server.plugin.close();
    expect(performance.now() - started).toBeLessThan(300);
    receiver.mode = 'ok';
    // The abandoned delivery is due again for whichever server runs next.
    expect(await server.redis.zcard(keys.securityEventQueue())).toBeGreaterThan(0);
  });
});
