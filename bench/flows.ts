import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'undici';
import type { Recorder } from './Recorder.ts';
import type { CreationOptions, RequestOptions, SoftAuthenticator, SoftCredential } from '../test/support/SoftAuthenticator.ts';
import { UserAgent, excerpt } from './UserAgent.ts';

/** One server to run flows against, and the client the flows act as. */
export interface Target {
  /** Keep-alive connections to the server. */
  pool: Pool;
  /** The issuer URL the server was started with (its redirects are under it). */
  issuer: string;
  client: { id: string; secret: string; redirectUri: string };
  /** A client allowed the client-credentials grant. */
  service: { id: string; secret: string };
}

/** What the token endpoint answered to a code or refresh grant. */
export interface Tokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

/** A user who signs in with a Temporary Access Pass. */
export interface TapUser {
  upn: string;
  passcode: string;
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** Path and query of a redirect under the issuer; the whole URL when it leaves for the client. */
function pathOf(t: Target, location: string): string {
  const url = new URL(location, t.issuer);
  if (url.href.startsWith(t.client.redirectUri)) return url.href;
  return url.pathname + url.search;
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** An authorization code request with PKCE, as a relying party sends it; returns the path and the verifier. */
function authorizeRequest(t: Target): { path: string; verifier: string; state: string } {
  const verifier = b64u(randomBytes(32));
  const state = b64u(randomBytes(12));
  const q = new URLSearchParams({
    client_id: t.client.id,
    redirect_uri: t.client.redirectUri,
    response_type: 'code',
    scope: 'openid offline_access',
    prompt: 'consent',
    state,
    code_challenge: b64u(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  });
  return { path: `/auth?${q}`, verifier, state };
}

/** The interaction page an authorization request leads to. */
export async function authorize(t: Target, ua: UserAgent): Promise<{ interaction: string; verifier: string; state: string }> {
  const req = authorizeRequest(t);
  const interaction = pathOf(t, await ua.redirect('authorize', 'GET', req.path));
  if (!interaction.startsWith('/interaction/')) throw new Error(`authorize: sent to ${interaction}`);
  return { interaction, verifier: req.verifier, state: req.state };
}

/** Follow the provider's resume redirect to the client's callback and redeem the code there. */
async function redeem(t: Target, ua: UserAgent, resume: string, a: { verifier: string; state: string }, step = 'resume'): Promise<Tokens> {
  const callback = new URL(await ua.redirect(step, 'GET', pathOf(t, resume)), t.issuer);
  const code = callback.searchParams.get('code');
  if (!code || callback.searchParams.get('state') !== a.state) {
    throw new Error(`${step}: no code at the callback (${callback.searchParams.get('error')}: ${callback.searchParams.get('error_description')})`);
  }
  return tokenRequest(t, ua, 'token', { grant_type: 'authorization_code', code, redirect_uri: t.client.redirectUri, code_verifier: a.verifier });
}

async function tokenRequest(t: Target, ua: UserAgent, step: string, form: Record<string, string>, who: { id: string; secret: string } = t.client): Promise<Tokens> {
  const r = await ua.request(step, 'POST', '/token', form, {
    authorization: basic(who.id, who.secret),
    'content-type': 'application/x-www-form-urlencoded',
  });
  if (r.status !== 200) throw new Error(`${step}: ${r.status} ${r.body.slice(0, 200)}`);
  return JSON.parse(r.body) as Tokens;
}

/** The JSON in `data-options` of the form with id `formId`. */
function formOptions<T>(html: string, formId: string): T {
  const tag = new RegExp(`<form[^>]*id="${formId}"[^>]*>`).exec(html)?.[0];
  const raw = tag && /data-options="([^"]*)"/.exec(tag)?.[1];
  if (!raw) throw new Error(`no #${formId} with data-options: ${excerpt(html)}`);
  const json = raw.replace(/&(#34|quot|#39|lt|gt|amp);/g, (_m, e: string) => ({ '#34': '"', quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[e]!);
  return JSON.parse(json) as T;
}

/** Identifier → TAP: returns the registration page's path. */
async function tapSteps(ua: UserAgent, interaction: string, user: TapUser): Promise<string> {
  await ua.page('identifier page', 'GET', interaction);
  const tapPage = await ua.page('identifier', 'POST', `${interaction}/identifier`, { username: user.upn });
  if (!tapPage.includes('name="tap"')) throw new Error(`identifier: no TAP step for ${user.upn}: ${excerpt(tapPage)}`);
  const next = await ua.redirect('tap', 'POST', `${interaction}/method/tap`, { username: user.upn, tap: user.passcode });
  const register = new URL(next, 'http://x').pathname;
  if (!register.endsWith('/register')) throw new Error(`tap: sent to ${register}`);
  return register;
}

/**
 * TAP sign-in as a multi-use TAP holder who is not ready for a passkey: authorize → identifier → TAP →
 * "Skip for now" → code → tokens.
 */
export async function tapSignIn(t: Target, rec: Recorder, user: TapUser): Promise<Tokens> {
  const ua = new UserAgent(t.pool, rec);
  const a = await authorize(t, ua);
  const register = await tapSteps(ua, a.interaction, user);
  const page = await ua.page('register page', 'GET', register);
  const skip = /action="([^"]+\/register\/skip)"/.exec(page)?.[1];
  if (!skip) throw new Error(`register page: no "Skip for now": ${excerpt(page)}`);
  const resume = await ua.redirect('skip', 'POST', skip, {});
  return redeem(t, ua, resume, a);
}

/**
 * Onboarding: TAP sign-in, register a passkey with `authenticator`, confirm it with a sign-in, code, tokens.
 * The server then deletes the TAP (deleteTapAfterPasskey).
 */
export async function registerPasskey(t: Target, rec: Recorder, user: TapUser, authenticator: SoftAuthenticator): Promise<SoftCredential> {
  const ua = new UserAgent(t.pool, rec);
  const a = await authorize(t, ua);
  const register = await tapSteps(ua, a.interaction, user);
  const regPage = await ua.page('register page', 'GET', register);
  const created = authenticator.create(formOptions<CreationOptions>(regPage, 'register-form'));
  const confirm = pathOf(t, await ua.redirect('register', 'POST', register, { response: created.response }));
  const confirmPage = await ua.page('confirm page', 'GET', confirm);
  const assertion = authenticator.get(formOptions<RequestOptions>(confirmPage, 'passkey-form'), created.credential);
  const resume = await ua.redirect('confirm', 'POST', confirm, { response: assertion });
  await redeem(t, ua, resume, a);
  return created.credential;
}

/** Username-less passkey sign-in from the identifier page: authorize → passkey → code → tokens. */
export async function passkeySignIn(t: Target, rec: Recorder, authenticator: SoftAuthenticator, credential: SoftCredential): Promise<Tokens> {
  const ua = new UserAgent(t.pool, rec);
  const a = await authorize(t, ua);
  const page = await ua.page('identifier page', 'GET', a.interaction);
  const response = authenticator.get(formOptions<RequestOptions>(page, 'passkey-form'), credential);
  const resume = await ua.redirect('passkey', 'POST', `${a.interaction}/method/passkey`, { response });
  return redeem(t, ua, resume, a);
}

/** Stock oidc-provider's devInteractions: login form (any account id), consent form, code, tokens. */
export async function stockSignIn(t: Target, rec: Recorder, accountId: string): Promise<Tokens> {
  const ua = new UserAgent(t.pool, rec);
  const a = await authorize(t, ua);
  await ua.page('login page', 'GET', a.interaction);
  const resume1 = await ua.redirect('login', 'POST', a.interaction, { prompt: 'login', login: accountId, password: 'x' });
  const consent = pathOf(t, await ua.redirect('resume (login)', 'GET', pathOf(t, resume1)));
  await ua.page('consent page', 'GET', consent);
  const resume = await ua.redirect('consent', 'POST', consent, { prompt: 'consent' });
  return redeem(t, ua, resume, a);
}

/** One refresh grant; returns the rotated refresh token. */
export async function refresh(t: Target, rec: Recorder, refreshToken: string): Promise<string> {
  const tokens = await tokenRequest(t, new UserAgent(t.pool, rec), 'refresh', { grant_type: 'refresh_token', refresh_token: refreshToken });
  if (!tokens.refresh_token) throw new Error('refresh: no rotated refresh token');
  return tokens.refresh_token;
}

/** One client-credentials grant. */
export async function clientCredentials(t: Target, rec: Recorder): Promise<void> {
  await tokenRequest(t, new UserAgent(t.pool, rec), 'client_credentials', { grant_type: 'client_credentials' }, t.service);
}
