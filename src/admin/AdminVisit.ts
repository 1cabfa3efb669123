import type { AccountSession } from '../account/AccountSession.js';
import type { User } from '../directory/User.js';
import type { Caller } from '../graph/Caller.js';

/** A signed-in administrator's request: their console session, who they are, and they as the API's `authorize` sees them. */
export interface AdminVisit {
  s: AccountSession;
  user: User;
  caller: Caller;
  /** A change's form (CSRF checked, sign-in fresh); empty on a read. */
  form: Record<string, string>;
}
