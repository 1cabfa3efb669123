import type { User } from '../directory/User.js';

/** Who is calling the admin API, from their bearer token. */
export type Caller =
  /** An application with client credentials: what it may do is its config entry's `permissions`. */
  | { kind: 'app'; clientId: string; displayName: string; permissions: ReadonlySet<string> }
  /**
   * A signed-in user (delegated): their roles, limited to the scopes the token was granted. `authAt`: when they
   * signed in for this token, ms by the product's clock; undefined when the token does not say.
   */
  | { kind: 'user'; user: User; scopes: ReadonlySet<string>; authAt?: number };
