import { createHash } from 'node:crypto';

/**
 * oidc-provider models whose id is itself a bearer secret (a token, a code, the session cookie's value). They are
 * stored under a digest of the id, so that a copy of Redis hands out no usable token or session.
 */
const BEARER_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'ClientCredentials',
  'Session',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PushedAuthorizationRequest',
  'RegistrationAccessToken',
  'InitialAccessToken',
]);

/** The id a model instance is stored under: a SHA-256 digest for bearer models, else the id itself. */
export function storedModelId(model: string, id: string): string {
  return BEARER_MODELS.has(model) ? createHash('sha256').update(id).digest('base64url') : id;
}

/**
 * Every Redis key the product uses, in one place.
 *
 * Keys that a Lua script touches together share a hash tag (`{u:<userId>}`), so the same scripts run
 * unchanged on Redis Cluster. oidc-provider models are tagged by their own id because the adapter is asked
 * for them by id alone.
 */
export const keys = {
  /** A user record (JSON). */
  user: (userId: string) => `user:{u:${userId}}`,
  /** Case-insensitive UPN → user id. */
  upn: (upn: string) => `upn:{n:${upn.toLowerCase()}}`,
  /** Set of all user ids (listing). */
  users: () => 'users',
  /** Set of the user ids in a group. */
  group: (name: string) => `group:{g:${name}}`,
  /** Set of all group names. */
  groups: () => 'groups',
  /**
   * The LDAP directory's cached answer for a sign-in name (lower-cased) or an id: the user as JSON, or `""` for
   * none. Short-lived (config `directory.cacheTtlSeconds`), so that a sign-in costs at most one LDAP search.
   */
  ldapByUpn: (upn: string) => `ldap:{n:${upn.toLowerCase()}}`,
  ldapById: (id: string) => `ldap:{i:${id}}`,

  /** The user's single Temporary Access Pass (hash). */
  tap: (userId: string) => `tap:{u:${userId}}`,
  /**
   * The failures counted against one TAP (hash: `total`, `locked`, and per source network `c:<net>` count and
   * `t:<net>` time of the last). A new TAP has a new id, so it starts clean.
   */
  tapFailures: (userId: string, tapId: string) => `fail:{u:${userId}}:${tapId}`,
  /**
   * Stand-ins for a typed name that holds no TAP (unknown, or without one), by a digest of the name: the TAP step
   * runs the same script on these as on a real TAP, so it takes the same time. No TAP ever lives under them.
   */
  standInTap: (nameDigest: string) => `tap:{t:${nameDigest}}`,
  standInFailures: (nameDigest: string) => `fail:{t:${nameDigest}}`,

  /**
   * Ids of every grant and session of an account, and of its sign-ins still under way (set of `Grant:<id>`,
   * `Session:<id>`, `Pending:<interaction uid>`).
   */
  accountIndex: (userId: string) => `idx:{u:${userId}}:all`,
  /** Ids of the grants, sessions and sign-ins under way obtained by signing in with one TAP (same members). */
  tapIndex: (userId: string, tapId: string) => `idx:{u:${userId}}:tap:${tapId}`,

  /** Ids of the grants and sessions obtained by signing in with one passkey (same members, by credential id). */
  passkeyIndex: (userId: string, credentialId: string) => `idx:{u:${userId}}:pk:${credentialId}`,

  /** The user's passkeys (hash: credential id → JSON record). */
  passkeys: (userId: string) => `pk:{u:${userId}}`,
  /** Credential id → owner's user id, for username-less sign-in. */
  credentialOwner: (credentialId: string) => `cred:{c:${credentialId}}`,
  /** An issued WebAuthn challenge, single use, short expiry; `purpose` names the flow step it belongs to. */
  challenge: (purpose: string, challenge: string) => `chal:{x:${purpose}}:${challenge}`,
  /**
   * The 10-minute window to register a passkey after a one-time TAP sign-in (value: end, ms). It belongs to
   * that sign-in and its TAP, never to the user: another sign-in cannot give it time back.
   */
  registrationWindow: (interactionUid: string, tapId: string) => `regwin:{i:${interactionUid}}:${tapId}`,
  /** A TAP sign-in waiting for its passkey registration, by interaction uid (JSON). */
  pendingLogin: (interactionUid: string) => `pending:{i:${interactionUid}}`,
  /** A session of the security-info page (JSON), by its random id. */
  accountSession: (sid: string) => `acct:{s:${sid}}`,
  /** The state and PKCE verifier of a security-info page sign-in in progress (JSON). */
  accountLogin: (state: string) => `acctlogin:{s:${state}}`,
  /** A console form that issues a TAP, once sent (by its single-use token): a resent form issues nothing more. */
  adminFormUsed: (nonce: string) => `adminform:{f:${nonce}}`,
  /** A federated sign-in in progress, by its `state` (JSON: interaction, nonce, PKCE verifier); taken once. */
  federationState: (state: string) => `fedstate:{s:${state}}`,

  /** The deployment's TAP policy (JSON). */
  tapPolicy: () => 'policy:TemporaryAccessPass',

  /** An oidc-provider model instance, by the id oidc-provider knows it by. */
  model: (model: string, id: string) => `oidc:${model}:{${storedModelId(model, id)}}`,
  /** The same, by the id it is stored under (what indexes hold: `Session:<storedId>`). */
  storedModel: (model: string, storedId: string) => `oidc:${model}:{${storedId}}`,
  /** Members of an oidc-provider grant: token keys to revoke with it. */
  grantMembers: (grantId: string) => `oidc:grant:{${grantId}}`,
  /** Session uid → the session's stored id. */
  sessionUid: (uid: string) => `oidc:sessionUid:{${uid}}`,
  /** Session uid → the TAP the session was obtained with (JSON); the uid outlives the session id's rotations. */
  sessionTap: (uid: string) => `oidc:sessionTap:{${uid}}`,
  /** Session uid → the passkey the session was obtained with (JSON), as `sessionTap`. */
  sessionPasskey: (uid: string) => `oidc:sessionPasskey:{${uid}}`,
  /** Device flow user code (by its digest: the code is a secret) → the device code, sealed under the user code. */
  userCode: (userCode: string) => `oidc:userCode:{${createHash('sha256').update(userCode).digest('base64url')}}`,

  /**
   * Fingerprints (salted digests, never the secrets) of the TAP secret, the cookie keys and the signing keys the
   * deployment's instances run with (JSON), checked at each start (`checkSecretsFingerprint`).
   */
  secretsFingerprint: () => '{secrets}:fingerprint',
  /**
   * What the config file has seeded (hash: `user:<upn>`, `policy` → ISO time): each is seeded once, so that a
   * restart never reverts (nor brings back) what administrators changed through the API since.
   */
  configSeeded: () => '{seed}:applied',

  /** Audit stream of writes (Graph directoryAudits); ids are `<ms>-<seq>` from the product's clock. */
  auditDirectory: () => 'audit:{directory}',
  /** Audit stream of sign-in outcomes (Graph signIns). */
  auditSignIns: () => 'audit:{signins}',
  /**
   * Failed sign-ins under identifiers that name no account, apart: anyone can add to it, so it is capped by
   * count (option `unknownAccountSignInsKept`) and never crowds out the records of real accounts.
   */
  auditUnknownSignIns: () => 'audit:{signins:unknown}',

  /** Security Event Tokens waiting for delivery: sorted set of delivery ids by next attempt time (ms). */
  securityEventQueue: () => '{secevent}:queue',
  /** The deliveries themselves (hash: delivery id → JSON with the signed token and attempts so far). */
  securityEventJobs: () => '{secevent}:jobs',
  /** Back-channel logout tokens due for delivery (sorted by due time), as the security events' queue. */
  backchannelLogoutQueue: () => '{bclogout}:queue',
  /** jti → the logout token's delivery (JSON). */
  backchannelLogoutJobs: () => '{bclogout}:jobs',
  /**
   * TAP ends still to sweep (sorted set of TAP ids by the moment to end what they carried, ms), indexed when a TAP
   * is issued, so that what a TAP signed in ends with a logout token when it simply runs out.
   */
  tapEndQueue: () => '{tapend}:queue',
  /** TAP id → the id of the user it was issued to. */
  tapEndJobs: () => '{tapend}:jobs',

  /**
   * A rate-limit bucket (hash: tokens, ts): `limit` names the limit (e.g. `signInPerAddress`), `subject` is a
   * digest of what it counts (an address, an account, a client), so typed input never shapes a key.
   */
  rateLimit: (limit: string, subject: string) => `rl:{r:${limit}:${subject}}`,

  /** Marker set once the first-start admin bootstrap TAP has been issued. */
  bootstrapDone: () => 'bootstrap:initial-admin-tap',
} as const;
