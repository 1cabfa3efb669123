import type * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { auditRecords } from '../src/audit/auditRecords.js';
import { BadRequestError } from '../src/errors.js';
import { keys } from '../src/store/keys.js';
import { useDeployment } from './support/deployment.js';
import { freshUser as freshUserOf } from './support/freshUser.js';
import { formAction } from './support/Browser.js';
import { signIn, startAuthorization, submitIdentifier } from './support/rp.js';
import { CLIENT_ID, testConfig, type TestClock, type TestServer } from './support/testServer.js';
import { issueTap } from './support/issueTap.js';

/*
 * docs/rules.md, "Audit": every write and every TAP sign-in outcome (with its reason), the lockout, passkey
 * registration and deletion are records, read back in Graph's directoryAudit and signIn shapes, newest first,
 * with $top, $skiptoken and $filter; never a passcode; kept for `auditRetentionDays`.
 */

let server: TestServer;
let rp: client.Configuration;
let clock: TestClock;
useDeployment(
  // Lockout sooner than the default, so that a test reaches it in a few tries; a short retention to test trimming.
  { config: () => testConfig({ options: { tapDelayAfterFailures: 2, tapLockAfterFailures: 4, tapLockAfterTotalFailures: 4, auditRetentionDays: 2 } }) },
  (d) => ({ server, rp, clock } = d),
);

const audit = () => server.plugin.audit;
const admin = { type: 'user', id: 'u-admin', userPrincipalName: 'admin@contoso.com' } as const;

/** A user of their own for each test, so that failure counts and records never mix between tests. */
const freshUser = () => freshUserOf(server, 'audit');

/** Submit a passcode to the TAP step of a fresh interaction (also when the flow would no longer offer it). */
async function tryTap(upn: string, passcode: string) {
  const a = await startAuthorization(rp);
  const step = await submitIdentifier(a, upn);
  const action = formAction(step.html, step.url).replace(/\/method\/[^/?#]+$/, '/method/tap');
  return a.browser.submit(action, { username: upn, tap: passcode });
}

const signInsOf = async (upn: string) => (await audit().querySignIns({ filter: `userPrincipalName eq '${upn}'` })).value;

describe('audit log', () => {
  it('records TAP sign-ins, success and failure with the reason, in the signIn shape, and never the passcode', async () => {
    const user = await freshUser();
    const tap = await issueTap(server, user, {}, { actor: admin, ip: '10.0.0.1' });
    await tryTap(user.userPrincipalName, 'WRONG-GUESS-1');
    const ok = await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! });
    expect(ok.callback).toBeDefined();

    const [success, failure] = await signInsOf(user.userPrincipalName);
    expect(success).toMatchObject({
      userPrincipalName: user.userPrincipalName,
      userId: user.id,
      userDisplayName: user.displayName,
      appId: CLIENT_ID,
      ipAddress: '127.0.0.1',
      clientAppUsed: 'Browser',
      authenticationMethodsUsed: ['Temporary Access Pass'],
      status: { errorCode: 0 },
    });
    expect(failure).toMatchObject({ userId: user.id, status: { errorCode: 50126, failureReason: 'WrongPasscode' } });
    expect(Date.parse(success!.createdDateTime as string)).toBeGreaterThanOrEqual(Date.parse(failure!.createdDateTime as string));
    expect(typeof success!.id).toBe('string');

    const everything = JSON.stringify([(await audit().querySignIns({ top: 999 })).value, (await audit().queryDirectory({ top: 999 })).value]);
    expect(everything).not.toContain(tap.temporaryAccessPass!);
    expect(everything).not.toContain('WRONG-GUESS-1');
  });

  it('records the creation of a TAP with the activity and reason of docs/rules.md, in the directoryAudit shape', async () => {
    const user = await freshUser();
    const tap = await issueTap(server, user, {}, { actor: admin, ip: '10.0.0.1' });
    const { value } = await audit().queryDirectory({ filter: `targetResources/any(t: t/id eq '${user.id}')` });
    expect(value).toHaveLength(1);
    expect(value[0]).toMatchObject({
      category: 'UserManagement',
      result: 'success',
      activityDisplayName: 'Admin registered security info',
      resultReason: 'Admin registered temporary access pass method for user',
      loggedByService: 'oidc-tap',
      operationType: 'Add',
      initiatedBy: { user: { id: 'u-admin', userPrincipalName: 'admin@contoso.com', ipAddress: '10.0.0.1' } },
      targetResources: [{ id: user.id, type: 'User', userPrincipalName: user.userPrincipalName, displayName: user.displayName }],
      additionalDetails: expect.arrayContaining([{ key: 'methodId', value: tap.id }]),
    });
    expect(value[0]!.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records throttled attempts, and the attempt that locks the TAP as a lockout of its own', async () => {
    const user = await freshUser();
    const tap = await issueTap(server, user, {}, { actor: admin, ip: '10.0.0.1' });
    const upn = user.userPrincipalName;
    await tryTap(upn, 'WRONG-1');
    await tryTap(upn, 'WRONG-2');
    // Told to wait (30 s after 2 failures): refused unchecked, recorded as Throttled, and no failure.
    expect((await tryTap(upn, 'WRONG-3')).res.status).toBe(429);
    clock.advance(30_000);
    await tryTap(upn, 'WRONG-4');
    // The wait after 3 failures is 60 s; the 4th failure locks the TAP (this config: 4 in total).
    clock.advance(60_000);
    await tryTap(upn, 'WRONG-5');
    // Locked now: even the right passcode is refused, as LockedOut, and is no second lockout.
    await tryTap(upn, tap.temporaryAccessPass!);

    const reasons = (await signInsOf(upn)).map((r) => (r.status as { failureReason: string }).failureReason);
    expect(reasons).toEqual(['LockedOut', 'LockedOut', 'WrongPasscode', 'Throttled', 'WrongPasscode', 'WrongPasscode']);
    const codes = (await signInsOf(upn)).map((r) => (r.status as { errorCode: number }).errorCode);
    expect(codes).toEqual([50053, 50053, 50126, 50053, 50126, 50126]);

    const lockouts = await audit().queryDirectory({
      filter: `activityDisplayName eq 'Temporary Access Pass locked out' and targetResources/any(t: t/userPrincipalName eq '${upn}')`,
    });
    expect(lockouts.value).toHaveLength(1);
    expect(lockouts.value[0]).toMatchObject({
      initiatedBy: { user: null, app: { displayName: 'oidc-tap' } },
      additionalDetails: expect.arrayContaining([{ key: 'methodId', value: tap.id }, { key: 'ipAddress', value: '127.0.0.1' }]),
    });
  });

  it('records a failed sign-in of an unknown account under the identifier that was typed', async () => {
    await tryTap('nobody@contoso.com', 'x');
    const password = await startAuthorization(rp);
    const step = await submitIdentifier(password, 'nobody-at-all@contoso.com');
    await password.browser.submit(formAction(step.html, step.url), { username: 'nobody-at-all@contoso.com', password: 'guess' });
    const [r] = await signInsOf('nobody-at-all@contoso.com');
    expect(r).toMatchObject({ userId: null, authenticationMethodsUsed: ['Password'], status: { errorCode: 50126 } });
  });

  it('lists newest first and pages with $top and $skiptoken', async () => {
    const user = await freshUser();
    for (let i = 0; i < 5; i++) await audit().recordDirectory(auditRecords.adminDeletedTap(admin, user, `tap-${i}`));
    const filter = `targetResources/any(t: t/id eq '${user.id}')`;
    const ids: string[] = [];
    let skipToken: string | undefined;
    let pages = 0;
    do {
      const page = await audit().queryDirectory({ top: 2, filter, ...(skipToken ? { skipToken } : {}) });
      pages++;
      expect(page.value.length).toBeLessThanOrEqual(2);
      for (const r of page.value) ids.push((r.additionalDetails as { key: string; value: string }[]).find((x) => x.key === 'methodId')!.value);
      skipToken = page.nextSkipToken;
    } while (skipToken && pages < 10);
    expect(ids).toEqual(['tap-4', 'tap-3', 'tap-2', 'tap-1', 'tap-0']);
    expect(pages).toBe(3);
  });

  it('filters on time, activity and target, and refuses what it does not understand with 400', async () => {
    const user = await freshUser();
    await issueTap(server, user, {}, { actor: admin, ip: '10.0.0.1' });
    const from = new Date(clock.now() - 60_000).toISOString();
    const to = new Date(clock.now() + 60_000).toISOString();
    const inRange = await audit().queryDirectory({
      filter: `activityDateTime ge ${from} and activityDateTime le ${to} and activityDisplayName eq 'Admin registered security info' and targetResources/any(t: t/id eq '${user.id}')`,
    });
    expect(inRange.value).toHaveLength(1);
    const later = await audit().queryDirectory({ filter: `activityDateTime gt ${to} and targetResources/any(t: t/id eq '${user.id}')` });
    expect(later.value).toHaveLength(0);

    await expect(audit().queryDirectory({ filter: "colour eq 'blue'" })).rejects.toThrow(BadRequestError);
    await expect(audit().querySignIns({ filter: "activityDisplayName eq 'x'" })).rejects.toThrow("the property 'activityDisplayName' is not supported");
    await expect(audit().querySignIns({ top: 1000 })).rejects.toThrow('$top must be a whole number from 1 to 999.');
    await expect(audit().querySignIns({ skipToken: 'garbage' })).rejects.toThrow('$skiptoken');
  });

  // Last: it moves the deployment's clock past the retention.
  it('trims records older than the retention (auditRetentionDays) and never returns them', async () => {
    const user = await freshUser();
    await audit().recordDirectory(auditRecords.adminDeletedTap(admin, user, 'old'));
    const before = await server.redis.xlen(keys.auditDirectory());
    expect(before).toBeGreaterThan(1);
    clock.advance(2 * 24 * 3600_000 + 60_000);
    // Nothing written yet, and still nothing old comes back.
    expect((await audit().queryDirectory({})).value).toHaveLength(0);
    await audit().recordDirectory(auditRecords.adminDeletedTap(admin, user, 'new'));
    expect(await server.redis.xlen(keys.auditDirectory())).toBe(1);
    const { value } = await audit().queryDirectory({});
    expect(value).toHaveLength(1);
    expect(JSON.stringify(value[0]!.additionalDetails)).toContain('new');
  });
});
