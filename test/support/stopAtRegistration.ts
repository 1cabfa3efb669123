import type * as client from 'openid-client';
import { expect } from 'vitest';
import { Browser, formAction } from './Browser.js';
import { startAuthorization, submitIdentifier } from './rp.js';

/** A TAP sign-in over HTTP, stopped on "Register a passkey" (as a thief holding the TAP, or a person, leaves it). */
export async function stopAtRegistration(rp: client.Configuration, upn: string, passcode: string, params: Record<string, string> = {}) {
  const a = await startAuthorization(rp, params, new Browser());
  const step = await submitIdentifier(a, upn);
  const reg = await a.browser.submit(formAction(step.html, step.url), { username: upn, tap: passcode });
  expect(new URL(reg.url).pathname).toMatch(/\/register$/);
  expect(reg.html).toContain('Register a passkey');
  return { ...a, reg, registerUrl: reg.url, base: reg.url.replace(/\/register$/, '') };
}
