import type { User } from '../directory/User.js';
import type { Details } from './LoginCompleter.js';
import type { PendingLogin } from './PendingLogins.js';

/** An interaction whose TAP sign-in is waiting for its passkey, still carried by its TAP. */
export interface LiveSignIn {
  d: Details;
  pending: PendingLogin;
  /** The pending login as stored: the atomic steps compare it, so a revoked one is not taken. */
  raw: string;
  user: User;
}
