import { queryObjects } from 'node:v8';
import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { RequestScope } from '../src/store/RequestScope.js';
import { useDeployment, type Deployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import { redeem, signIn } from './support/rp.js';

/*
 * Issue #18, the half-load tail: what a finished request leaves reachable lives until the next young-generation
 * GC copies it to the old generation, and every such copy lengthens the pause the next request waits through.
 */

let d: Deployment;
useDeployment({}, (x) => (d = x));

describe('what a finished request leaves in memory', () => {
  it("keeps none of a request's scope (its Redis replies and models) once answered, on connections kept alive", async () => {
    const user = await freshUser(d.server, 'retention');
    const tap = await issueTap(d.server, user, { isUsableOnce: false });
    // A whole sign-in, its tokens and a refresh: provider responses (redirects, the token endpoint's JSON) and
    // pages, on the keep-alive connections of the test's browser and relying party.
    const tokens = await redeem(d.rp, await signIn(d.rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! }));
    const refreshed = await client.refreshTokenGrant(d.rp, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    // While a request runs, its scope is reachable…
    let during = 0;
    await RequestScope.run(async () => {
      during = queryObjects(RequestScope, { format: 'count' }) as number;
    });
    expect(during).toBeGreaterThanOrEqual(1);
    // …and once every request is answered, none is, though the connections (and their keep-alive timers) stay.
    await new Promise((r) => setTimeout(r, 50));
    expect(queryObjects(RequestScope, { format: 'count' })).toBe(0);
  });
});
