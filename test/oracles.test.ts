import * as client from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { RedisProbe } from '../bench/RedisProbe.ts';
import { graphOperations } from '../src/graph/graphOperations.js';
import { formAction } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { apiClient, appToken, graph, type GraphResponse } from './support/graph.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { startAuthorization, submitIdentifier } from './support/rp.js';
import { TEST_CLIENT, TEST_USERS, testConfig, type TestServer } from './support/testServer.js';
import { delegatedToken } from './support/delegatedToken.js';

/*
 * Existence oracles: whether an account exists must not show in what a caller without permission gets from the
 * admin API, in the Redis work (and so the time) of the identifier step, nor in the passkey step's page.
 */

const SECRET = 'oracle-app-secret-0123456789-0123456789';
const PASSWORD = 'oracle test password 1';
const ALL = ['UserAuthMethod-TAP.ReadWrite.All', 'Policy.ReadWrite.AuthenticationMethod', 'User.ReadWrite.All', 'AuditLog.Read.All'];

let server: TestServer;
let rp: client.Configuration;
let redisUrl: string;
useDeployment(
  {
    config: () =>
      testConfig({
        clients: [TEST_CLIENT, apiClient('audit-app', SECRET, ['AuditLog.Read.All']), apiClient('super-app', SECRET, ALL)],
        users: [
          ...TEST_USERS,
          { userPrincipalName: 'apa@contoso.com', displayName: 'Auth Policy Admin', roles: ['AuthenticationPolicyAdministrator'], password: PASSWORD },
          { userPrincipalName: 'authadmin@contoso.com', displayName: 'Auth Admin', roles: ['AuthenticationAdministrator'], password: PASSWORD },
          { userPrincipalName: 'member@contoso.com', displayName: 'Member' },
        ],
      }),
  },
  (d) => {
    ({ server, rp } = d);
    redisUrl = d.redis.url;
  },
);

/** A body each operation accepts, so that validation passes and the handler decides. */
const BODIES: Record<string, unknown> = {
  updateUser: { displayName: 'Renamed' },
  createTemporaryAccessPass: {},
};

/** Every admin API operation that acts on one user, with its path for the given `{user}`. */
function userScoped(user: string) {
  return graphOperations
    .filter((op) => op.path.includes('{user}'))
    .map((op) => {
      if (op.body && !(op.operationId in BODIES)) throw new Error(`give ${op.operationId} a body in BODIES`);
      const path = op.path
        .replace('{user}', encodeURIComponent(user))
        .replace('{tapId}', '00000000-0000-4000-8000-000000000001')
        .replace('{id}', 'AAAAAAAAAAAAAAAAAAAAAA');
      return { op, path, body: BODIES[op.operationId] };
    });
}

/** What may differ between two answers of the same kind: the request id and the time. */
function shape(r: GraphResponse) {
  return { status: r.status, code: r.body.error?.code, message: r.body.error?.message, keys: Object.keys(r.body).sort() };
}

describe('existence oracles: the admin API', () => {
  it('answers a caller without permission the same 403 for an existing and an unknown user, on every user-scoped operation', async () => {
    const callers = {
      'an application without the permission': await appToken(server.url, 'audit-app', SECRET, 'AuditLog.Read.All'),
      'an administrator whose role does not allow it': await delegatedToken(rp, 'apa@contoso.com', PASSWORD, ALL.join(' ')),
    };
    const member = (await server.plugin.directory.findByUpn('member@contoso.com'))!;
    const pairs = [
      ['member@contoso.com', 'nobody-at-all@contoso.com'],
      [member.id, '0a1b2c3d-0000-4000-8000-00000000beef'],
    ] as const;
    let checked = 0;
    for (const [who, token] of Object.entries(callers)) {
      for (const [existing, unknown] of pairs) {
        const known = userScoped(existing);
        const missing = userScoped(unknown);
        for (let i = 0; i < known.length; i++) {
          const k = known[i]!;
          const u = missing[i]!;
          const a = await graph(server.url, token, k.op.method.toUpperCase(), k.path, k.body);
          const b = await graph(server.url, token, u.op.method.toUpperCase(), u.path, u.body);
          expect(shape(a), `${who}: ${k.op.operationId} on an existing user`).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });
          expect(shape(b), `${who}: ${k.op.operationId} on an unknown user`).toEqual(shape(a));
          checked++;
        }
      }
    }
    // Every user-scoped operation of the table, for both callers and both ways of naming the user.
    expect(checked).toBe(userScoped('x').length * 4);
    expect(userScoped('x').length).toBeGreaterThanOrEqual(10);
    // Nothing was changed by the refused calls.
    expect((await server.plugin.directory.findById(member.id))!.displayName).toBe('Member');
  });

  it('still answers 404 for an unknown user to a caller who may act on users, and keeps the limits that depend on the target', async () => {
    const superApp = await appToken(server.url, 'super-app', SECRET, ALL.join(' '));
    for (const { op, path, body } of userScoped('nobody-at-all@contoso.com')) {
      const r = await graph(server.url, superApp, op.method.toUpperCase(), path, body);
      expect(shape(r), op.operationId).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
    }
    // An Authentication Administrator may manage non-admins' TAPs: an unknown user is 404, an administrator 403.
    const authAdmin = await delegatedToken(rp, 'authadmin@contoso.com', PASSWORD, 'UserAuthMethod-TAP.ReadWrite.All');
    const taps = (upn: string) => `/users/${encodeURIComponent(upn)}/authentication/temporaryAccessPassMethods`;
    expect((await graph(server.url, authAdmin, 'GET', taps('nobody-at-all@contoso.com'))).status).toBe(404);
    expect((await graph(server.url, authAdmin, 'GET', taps('member@contoso.com'))).status).toBe(200);
    const onAdmin = await graph(server.url, authAdmin, 'POST', taps('admin@contoso.com'), {});
    expect(shape(onAdmin)).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });
    expect(onAdmin.body.error!.message).toContain('administrator');
    expect((await graph(server.url, authAdmin, 'POST', taps('authadmin@contoso.com'), {})).status).toBe(403);
  });
});

/** What one request made Redis do: client commands (EVALSHA by script), script commands, and round trips. */
interface RedisWork {
  commands: string[];
  scriptCommands: string[];
  roundTrips: number;
}

let probe: RedisProbe | undefined;
let marks = 0;
/** Run `request` alone against the deployment's Redis and record, through MONITOR, the work it caused. */
async function redisWork(request: () => Promise<unknown>): Promise<RedisWork> {
  if (!probe) {
    probe = await RedisProbe.open(redisUrl);
    await probe.startMonitor();
  }
  const before = `before-${++marks}`;
  const after = `after-${marks}`;
  const readsBefore = await probe.mark(before);
  await request();
  const readsAfter = await probe.mark(after);
  const events = RedisProbe.split(await probe.drain(after)).get(after)!;
  const name = ([cmd, ...args]: string[]) => (cmd!.toLowerCase() === 'evalsha' ? `evalsha ${args[0]}` : cmd!.toLowerCase());
  return {
    commands: events.client.map(name),
    scriptCommands: events.lua.map(name),
    // Less the marker's own network read.
    roundTrips: readsAfter - readsBefore - 1,
  };
}

/** An interaction waiting on the identifier page. */
async function atIdentifier(params: Record<string, string> = {}) {
  return startAuthorization(rp, params);
}

describe('existence oracles: the identifier step', () => {
  // Only the request's own work: the TAP expiry sweep and the delivery loops poll Redis every two seconds, and a
  // poll that fell inside one of the two windows compared made them differ (a CI run did). The pages still serve.
  beforeAll(() => server.plugin.close());

  it('does the same Redis work for an unknown name as for a known user without a TAP or passkey', async () => {
    const cases: { known: string; unknown: string; params: Record<string, string> }[] = [
      { known: 'pat@contoso.com', unknown: 'nobody-@contoso.com', params: {} },
      // A client demanding a passkey: both get the passkey step.
      { known: 'pat@contoso.com', unknown: 'nobody-@contoso.com', params: { acr_values: 'phr' } },
      // A federated domain: both are sent to its provider (here unreachable, so both get its error page).
      { known: 'fed@fabrikam.test', unknown: 'nobody-@fabrikam.test', params: {} },
    ];
    for (const c of cases) {
      // Warm up both paths once (scripts loaded, buckets created) before comparing.
      for (const name of [c.known, c.unknown]) await submitIdentifier(await atIdentifier(c.params), name);
      for (let i = 0; i < 3; i++) {
        const a = await atIdentifier(c.params);
        const b = await atIdentifier(c.params);
        const known = await redisWork(() => submitIdentifier(a, c.known));
        const unknown = await redisWork(() => submitIdentifier(b, c.unknown.replace('-@', `-${i}@`)));
        expect(known.commands.length, c.known).toBeGreaterThan(3);
        expect(unknown, `${c.known} ${JSON.stringify(c.params)}`).toEqual(known);
      }
    }
    probe?.close();
    probe = undefined;
  });

  it('does the same Redis work to show a method step by link for an unknown name as for a known user', async () => {
    for (const method of ['password', 'tap', 'passkey']) {
      const works: RedisWork[] = [];
      for (const name of ['pat@contoso.com', 'nobody-here@contoso.com', 'pat@contoso.com', 'nobody-else@contoso.com']) {
        const a = await atIdentifier();
        const url = `${a.url}/method/${method}?username=${encodeURIComponent(name)}`;
        works.push(await redisWork(() => a.browser.follow(url)));
      }
      // Known and unknown, twice each: all four the same.
      for (const w of works.slice(1)) expect(w, method).toEqual(works[0]);
    }
    probe?.close();
    probe = undefined;
  });
});

describe('existence oracles: the passkey step', () => {
  it("shows none of a known user's credential ids on the passkey step, and the same prompt as for an unknown name", async () => {
    const user = await freshUser(server, 'oracle-pk');
    const passkeys = [await seedPasskey(server.redis, user.id, 'Laptop'), await seedPasskey(server.redis, user.id, 'Phone')];
    const a = await atIdentifier();
    const step = await submitIdentifier(a, user.userPrincipalName);
    expect(step.html).toContain('Sign in with a passkey');
    for (const p of passkeys) expect(step.html).not.toContain(p.id);
    const options = (html: string) =>
      JSON.parse(/data-options="([^"]*)"/.exec(html)![1]!.replaceAll('&#34;', '"').replaceAll('&quot;', '"')) as Record<string, unknown>;
    const known = options(step.html);
    expect(known.allowCredentials ?? []).toEqual([]);

    // A client demanding a passkey shows an unknown name the passkey step too: the same prompt, but its challenge.
    const b = await atIdentifier({ acr_values: 'phr' });
    const unknownStep = await submitIdentifier(b, 'nobody-with-passkeys@contoso.com');
    expect(unknownStep.html).toContain('Sign in with a passkey');
    const unknown = options(unknownStep.html);
    expect({ ...unknown, challenge: 'x' }).toEqual({ ...known, challenge: 'x' });
    expect(formAction(unknownStep.html, unknownStep.url)).toMatch(/\/method\/passkey$/);
  });
});
