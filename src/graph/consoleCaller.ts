import { DELEGATED_PERMISSIONS } from '../config/AppConfig.js';
import type { User } from '../directory/User.js';
import type { Caller } from './Caller.js';

/**
 * A person signed in to the admin console, as the admin API's `authorize` sees a caller: delegated, with every
 * scope. Scopes limit what an application may do on a person's behalf; the console is the product's own page
 * acting as the person, so only their roles limit it, exactly as they limit the same person's API calls.
 */
export function consoleCaller(user: User): Caller {
  return { kind: 'user', user, scopes: new Set(DELEGATED_PERMISSIONS) };
}
