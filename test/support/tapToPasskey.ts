import type * as client from 'openid-client';
import { confirmOn } from './confirmOn.js';
import { registerOn } from './registerOn.js';
import { SoftAuthenticator } from './SoftAuthenticator.ts';
import { stopAtRegistration } from './stopAtRegistration.js';

/**
 * A whole onboarding over HTTP, no browser: sign in with a TAP, register a passkey with the software
 * authenticator, confirm it by signing in with it. `done` is the page the confirmation led to (the relying party's
 * callback when all went well); `authenticator` and `credential` sign in again later.
 */
export async function tapToPasskey(
  rp: client.Configuration,
  upn: string,
  passcode: string,
  opts: { params?: Record<string, string>; authenticator?: SoftAuthenticator } = {},
) {
  const s = await stopAtRegistration(rp, upn, passcode, opts.params);
  const authenticator = opts.authenticator ?? new SoftAuthenticator(new URL(s.base).origin);
  const { page: confirmPage, credential } = await registerOn(s, authenticator);
  const done = await confirmOn(s, authenticator, credential, confirmPage);
  return { ...s, authenticator, credential, confirmPage, done };
}
