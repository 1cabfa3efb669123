/**
 * The event-type URIs in the tokens' `events` claim. Issuing and deleting a TAP, adding and removing a passkey
 * are CAEP credential changes; using a TAP and locking one out have no standard event, so they get URNs of ours.
 */
export const securityEventTypes = {
  credentialChange: 'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  tapUsed: 'urn:oidc-tap:secevent:tap-used',
  tapLockedOut: 'urn:oidc-tap:secevent:tap-locked-out',
} as const;
