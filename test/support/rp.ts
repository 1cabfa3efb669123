import * as client from 'openid-client';
import { Browser, formAction } from './Browser.js';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } from './testServer.js';

/** A real relying party (openid-client) against the test provider. */
export async function relyingParty(issuer: string): Promise<client.Configuration> {
  return client.discovery(new URL(issuer), CLIENT_ID, {}, client.ClientSecretBasic(CLIENT_SECRET), {
    execute: [client.allowInsecureRequests],
  });
}

export interface Authorization {
  browser: Browser;
  authorizationUrl: string;
  verifier: string;
  state: string;
}

/** Start an authorization code + PKCE request; the browser lands on the identifier page. */
export async function startAuthorization(
  config: client.Configuration,
  params: Record<string, string> = {},
  browser = new Browser(),
  /** Another server of the same deployment to send the browser to (same issuer data in Redis). */
  via?: string,
): Promise<Authorization & { html: string; url: string }> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  let authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email offline_access',
    prompt: 'consent',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  }).href;
  if (via) authorizationUrl = authorizationUrl.replace(new URL(authorizationUrl).origin, via);
  const page = await browser.follow(authorizationUrl);
  return { browser, authorizationUrl, verifier, state, html: page.html, url: page.url };
}

/** Identifier step: returns the next page. */
export async function submitIdentifier(a: { browser: Browser; html: string; url: string }, username: string) {
  return a.browser.submit(formAction(a.html, a.url), { username });
}

/** The consent page's form, when `page` is one: an application asked for admin API permissions. */
export function consentAction(page: { html: string; url: string }): string | undefined {
  return /<button[^>]*name="decision"[^>]*value="allow"/.test(page.html) ? formAction(page.html, page.url) : undefined;
}

/** Press `Allow` on a consent page, as the person signing in would; any other page is returned as it is. */
export async function acceptConsent<P extends { html: string; url: string }>(browser: Browser, page: P): Promise<P | Awaited<ReturnType<Browser['submit']>>> {
  const action = consentAction(page);
  return action ? browser.submit(action, { decision: 'allow' }) : page;
}

/**
 * Run the whole flow with a TAP (or password) and return the callback URL, or the page that refused. A consent
 * page on the way is accepted unless `consent: false`.
 */
export async function signIn(
  config: client.Configuration,
  username: string,
  secret: { tap: string } | { password: string },
  params: Record<string, string> = {},
  opts: { browser?: Browser; via?: string; skipRegistration?: boolean; consent?: false } = {},
) {
  const a = await startAuthorization(config, params, opts.browser, opts.via);
  const step = await submitIdentifier(a, username);
  let done = await a.browser.submit(formAction(step.html, step.url), { username, ...secret });
  // A TAP sign-in goes on to passkey registration. Without a browser to make a passkey, these tests take the
  // "Skip for now" a multi-use TAP allows; a one-time TAP stops here (`registration` is then that page).
  const registration = /\/interaction\/[^/]+\/register$/.test(new URL(done.url).pathname) ? done : undefined;
  const skip = registration && /action="([^"]+\/register\/skip)"/.exec(registration.html)?.[1];
  if (registration && skip && opts.skipRegistration !== false) done = await a.browser.submit(new URL(skip, registration.url).href, {});
  if (opts.consent !== false) done = await acceptConsent(a.browser, done);
  return { ...a, step, done, registration, callback: done.url.startsWith(REDIRECT_URI) ? done.url : undefined };
}

/** Redeem the callback's code for tokens, as the relying party does. */
export async function redeem(config: client.Configuration, a: { callback?: string; verifier: string; state: string }) {
  if (!a.callback) throw new Error('no callback: the sign-in did not finish');
  return client.authorizationCodeGrant(config, new URL(a.callback), { pkceCodeVerifier: a.verifier, expectedState: a.state });
}

/** Sign in with a password even when the flow would offer the user's TAP first (posts to the password step). */
export async function signInWithPassword(
  config: client.Configuration,
  username: string,
  password: string,
  params: Record<string, string> = {},
  opts: { browser?: Browser; consent?: false } = {},
) {
  const a = await startAuthorization(config, params, opts.browser);
  const step = await submitIdentifier(a, username);
  const action = formAction(step.html, step.url).replace(/\/method\/[^/?#]+$/, '/method/password');
  const posted = await a.browser.submit(action, { username, password });
  const done = opts.consent === false ? posted : await acceptConsent(a.browser, posted);
  return { ...a, step, done, callback: done.url.startsWith(REDIRECT_URI) ? done.url : undefined };
}

/** The OAuth error of a refresh grant, or undefined when it succeeded. */
export async function refreshError(config: client.Configuration, refreshToken: string): Promise<string | undefined> {
  try {
    await client.refreshTokenGrant(config, refreshToken);
    return undefined;
  } catch (e) {
    return (e as { error?: string }).error ?? String(e);
  }
}
