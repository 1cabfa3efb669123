import type { User } from '../directory/User.js';

/** Who is calling the admin API, from their bearer token. */
export type Caller =
  /** An application with client credentials: what it may do is its config entry's `permissions`. */
  | { kind: 'app'; clientId: string; displayName: string; permissions: ReadonlySet<string> }
  /** A signed-in user (delegated): their roles, limited to the scopes the token was granted. */
  | { kind: 'user'; user: User; scopes: ReadonlySet<string> };
