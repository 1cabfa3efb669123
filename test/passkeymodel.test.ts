import type * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/config/AppConfig.js';
import type { User } from '../src/directory/User.js';
import { byTest } from './support/byTest.js';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { issueTap } from './support/issueTap.js';
import { SoftAuthenticator } from './support/SoftAuthenticator.js';
import { tapToPasskey } from './support/tapToPasskey.js';
import { REDIRECT_URI, testConfig, TEST_CLIENT, type TestServer } from './support/testServer.js';

/*
 * A passkey is named by its authenticator's model when its user gives no name: the AAGUID the authenticator reports
 * at registration, looked up in src/passkeys/aaguids.json (kept by `npm run aaguids`). The admin API reports the
 * model as Graph does, in fido2AuthenticationMethod's `model`.
 */

const SECRET = 'model-app-secret-0123456789-0123456789';
const ICLOUD = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';
const NONE = '00000000-0000-0000-0000-000000000000';

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  { host: 'localhost', config: () => testConfig({ clients: [TEST_CLIENT, apiClient('model-app', SECRET, [...PERMISSIONS])] }) },
  (d) => ({ server, rp } = d),
);

/** A passkey registered through a TAP sign-in by an authenticator that reports `aaguid`. */
async function onboard(user: User, aaguid: string) {
  const tap = await issueTap(server, user, { isUsableOnce: false });
  const s = await tapToPasskey(rp, user.userPrincipalName, tap.temporaryAccessPass!, { authenticator: new SoftAuthenticator(server.url, aaguid) });
  expect(s.done.url.startsWith(REDIRECT_URI)).toBe(true);
  return s;
}

describe('the passkey model from the AAGUID', () => {
  it('names unnamed passkeys by their model (numbered beside one of that name), else "Passkey N", and the admin API reports the model', async () => {
    const user = await freshUser(server, 'model');
    await onboard(user, ICLOUD);
    await onboard(user, ICLOUD);
    const last = await onboard(user, NONE);
    const list = await server.plugin.passkeys.list(user.id);
    expect(list.map((p) => [p.name, p.aaguid])).toEqual([
      ['iCloud Keychain', ICLOUD],
      ['iCloud Keychain 2', ICLOUD],
      ['Passkey 3', NONE],
    ]);

    const token = await appToken(server.url, 'model-app', SECRET, PERMISSIONS.join(' '));
    const methods = await graph(server.url, token, 'GET', `/users/${user.id}/authentication/fido2Methods`);
    expect(methods.status).toBe(200);
    const byId = new Map((methods.body.value as { id: string; model: string | null; displayName: string; aaGuid: string }[]).map((m) => [m.id, m]));
    expect(list.map((p) => byId.get(p.id)!.model)).toEqual(['iCloud Keychain', 'iCloud Keychain', null]);
    expect(list.map((p) => byId.get(p.id)!.displayName)).toEqual(['iCloud Keychain', 'iCloud Keychain 2', 'Passkey 3']);

    // Renamed, the passkey keeps its model beside its new name on the security-info page.
    await server.plugin.passkeys.rename(user, list[0]!, 'Work phone', byTest);
    const page = await last.browser.follow(`${server.url}/account/security-info`);
    expect(page.html).toContain('<h1>Security info</h1>');
    const rowOf = (name: string) => new RegExp(`<div class="method-name">${name}</div>\\s*<p class="method-meta">([^<]*)</p>`).exec(page.html)?.[1];
    expect(rowOf('Work phone')).toMatch(/^iCloud Keychain · /);
    expect(rowOf('Passkey 3')).not.toContain('·');
  });
});
