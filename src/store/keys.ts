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

  /** The user's single Temporary Access Pass (hash). */
  tap: (userId: string) => `tap:{u:${userId}}`,
  /** The account's consecutive TAP sign-in failures (hash: count, last). */
  failures: (userId: string) => `fail:{u:${userId}}`,

  /** Ids of every grant and session of an account (set of `Grant:<id>` / `Session:<id>`). */
  accountIndex: (userId: string) => `idx:{u:${userId}}:all`,
  /** Ids of the grants and sessions obtained by signing in with one TAP. */
  tapIndex: (userId: string, tapId: string) => `idx:{u:${userId}}:tap:${tapId}`,

  /** The deployment's TAP policy (JSON). */
  tapPolicy: () => 'policy:TemporaryAccessPass',

  /** An oidc-provider model instance. */
  model: (model: string, id: string) => `oidc:${model}:{${id}}`,
  /** Members of an oidc-provider grant: token keys to revoke with it. */
  grantMembers: (grantId: string) => `oidc:grant:{${grantId}}`,
  /** Session uid → session id. */
  sessionUid: (uid: string) => `oidc:sessionUid:{${uid}}`,
  /** Device flow user code → id. */
  userCode: (userCode: string) => `oidc:userCode:{${userCode}}`,

  /** Marker set once the first-start admin bootstrap TAP has been issued. */
  bootstrapDone: () => 'bootstrap:initial-admin-tap',
} as const;
