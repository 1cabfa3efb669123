import { describe, expect, it } from 'vitest';
import type { Users } from '../../directory/Users.js';
import type { User } from '../../directory/User.js';
import type { AuthMethod } from '../AuthMethod.js';
import { ExcludeFederatedUsers, FEDERATED_ONLY } from './ExcludeFederatedUsers.js';
import type { FederationService } from './FederationService.js';

const person = (upn: string): User => ({
  id: upn,
  userPrincipalName: upn,
  displayName: upn,
  userType: 'Member',
  roles: [],
  groups: [],
  createdDateTime: '2026-01-01T00:00:00Z',
});

const passkeys: AuthMethod = {
  name: 'passkey',
  acr: 'phr',
  bootstrapsPasskey: false,
  identifiesUser: true,
  isAvailable: async () => true,
  render: async () => ({ redirect: '/unused' }),
  identifierExtras: async () => ({ passkeyAction: 'x' }),
  // A username-less passkey: the owner is known only from the credential.
  verify: async (_user, form) => ({ ok: true, accountId: form.owner!, amr: ['hwk', 'user', 'mfa'], acr: 'phr' }),
};
const federation = { domainOf: (upn: string) => (upn.endsWith('@fabrikam.test') ? 'fabrikam.test' : undefined) } as FederationService;
const directory = { findById: async (id: string) => person(id) } as unknown as Users;
const method = new ExcludeFederatedUsers(passkeys, federation, directory);

describe('ExcludeFederatedUsers (allowPasskeyForFederatedUsers: false)', () => {
  it('is not available to a federated user, and is to others', async () => {
    expect(await method.isAvailable(person('fed@fabrikam.test'))).toBe(false);
    expect(await method.isAvailable(person('jdoe@contoso.com'))).toBe(true);
  });

  it("refuses a federated user's username-less passkey, and lets others through", async () => {
    expect(await method.verify(undefined, { owner: 'fed@fabrikam.test' }, 'i')).toEqual({ ok: false, error: FEDERATED_ONLY });
    expect((await method.verify(undefined, { owner: 'jdoe@contoso.com' }, 'i')).ok).toBe(true);
  });

  it('keeps the identity and the identifier-page extras of the method it wraps', async () => {
    expect([method.name, method.acr, method.identifiesUser]).toEqual(['passkey', 'phr', true]);
    expect(await method.identifierExtras!('i', '/a')).toEqual({ passkeyAction: 'x' });
  });
});
