import type * as client from 'openid-client';
import { expect } from 'vitest';
import type { Browser } from './Browser.js';
import { startAuthorization } from './rp.js';
import { REDIRECT_URI } from './testServer.js';

/** Authorization request with prompt=none in the given browser: the callback's parameters. */
export async function silentAuthorization(rp: client.Configuration, browser: Browser): Promise<URLSearchParams> {
  const a = await startAuthorization(rp, { prompt: 'none' }, browser);
  const callback = new URL(a.url);
  expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
  return callback.searchParams;
}
