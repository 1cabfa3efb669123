import type { AccountSession } from './AccountSession.js';

/** Per session, so a challenge from one visit cannot answer another's. */
export const registrationPurpose = (s: AccountSession) => `acct-reg:${s.id}`;
