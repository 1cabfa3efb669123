import { timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { auditRecords } from '../audit/auditRecords.js';
import type { Clock } from '../Clock.js';
import type { Directory } from '../directory/Directory.js';
import type { User } from '../directory/User.js';
import { NotFoundError } from '../errors.js';
import { readForm } from '../http/readForm.js';
import { renderView } from '../http/renderView.js';
import type { Logger } from '../log/Logger.js';
import type { PasskeyService } from '../passkeys/PasskeyService.js';
import type { Store } from '../store/connectRedis.js';
import type { TapService } from '../tap/TapService.js';
import type { TemporaryAccessPassMethod } from '../tap/TemporaryAccessPassMethod.js';
import { ACCOUNT_CLIENT_ID, accountRedirectUri } from '../provider/accountClient.js';
import type { AccountSession } from './AccountSession.js';
import { AccountSessions } from './AccountSessions.js';
import { formatDate } from './formatDate.js';
import { redeemAccountCode } from './redeemAccountCode.js';

export interface AccountRouterDeps {
  provider: Provider;
  /** The public issuer URL: the page's own client redirects back under it, and forms must come from its origin. */
  issuer: string;
  redis: Store;
  clock: Clock;
  directory: Directory;
  taps: TapService;
  passkeys: PasskeyService;
  /** Adding, renaming or deleting a method needs a sign-in at most this old (option `reauthenticationMaxAgeSeconds`). */
  reauthenticationMaxAgeSeconds: number;
  log: Logger;
}

export const SECURITY_INFO_PATH = '/account/security-info';
export const LAST_METHOD =
  "You can't delete your only way to sign in. Add another passkey first, or ask your administrator for a Temporary Access Pass.";

const SESSION_COOKIE = 'oidc-tap.account';
const LOGIN_COOKIE = 'oidc-tap.account-login';
const LOGIN_COOKIE_MS = 600_000;

/** What the page says after a redirect (`?done=`): fixed texts, so nothing from the URL is ever echoed. */
const NOTICES: Record<string, string> = {
  reauth: 'For your security, you had to sign in again. Your change was not made yet: please make it again.',
  added: 'Your new passkey was added. You can sign in with it from now on.',
  renamed: 'The passkey was renamed.',
  deleted: 'The passkey was deleted. It can no longer be used to sign in.',
  'tap-deleted': 'Your Temporary Access Pass was deleted.',
};

/** Per session, so a challenge from one visit cannot answer another's. */
const registrationPurpose = (s: AccountSession) => `acct-reg:${s.id}`;

/**
 * The security-info page: the signed-in user's own sign-in methods. It signs the user in through this same
 * provider (authorization code + PKCE as its own client), keeps a short session of its own, and asks for a
 * recent sign-in before any change.
 */
export function accountRouter(deps: AccountRouterDeps): Router {
  const { provider, directory, taps, passkeys, log } = deps;
  const issuer = deps.issuer.replace(/\/+$/, '');
  const issuerUrl = new URL(issuer);
  const secure = issuerUrl.protocol === 'https:';
  const redirectUri = accountRedirectUri(issuer);
  const sessions = new AccountSessions(deps.redis, provider, deps.clock, deps.reauthenticationMaxAgeSeconds * 1000);
  const router = new Router({ prefix: '/account' });

  // Set by hand: Koa refuses a Secure cookie on a plain connection, which is what a TLS-terminating proxy gives.
  function setCookie(ctx: Context, name: string, value: string, maxAgeMs: number) {
    const attrs = `Path=/account; Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
    ctx.append('Set-Cookie', `${name}=${value}; ${attrs}`);
  }

  function clearCookie(ctx: Context, name: string) {
    ctx.append('Set-Cookie', `${name}=; Path=/account; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  }

  const cookie = (ctx: Context, name: string) => ctx.cookies.get(name, { signed: false });

  /** Send the browser to the provider; `reauth` makes it ask again even when single sign-on would not. */
  async function signIn(ctx: Context, reason: 'signin' | 'reauth', loginHint?: string) {
    const { state, codeChallenge } = await sessions.beginLogin(reason);
    setCookie(ctx, LOGIN_COOKIE, state, LOGIN_COOKIE_MS);
    const params = new URLSearchParams({
      client_id: ACCOUNT_CLIENT_ID,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: redirectUri,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      state,
    });
    if (reason === 'reauth') {
      params.set('prompt', 'login');
      if (loginHint) params.set('login_hint', loginHint);
    }
    ctx.status = 303;
    ctx.redirect(`${issuer}/auth?${params.toString()}`);
  }

  async function message(ctx: Context, status: number, heading: string, text: string, link: { href: string; label: string } | null) {
    await renderView(ctx, 'message', { title: heading, heading, message: text, link }, status);
  }

  const startAgain = { href: SECURITY_INFO_PATH, label: 'Go to your security info' };

  /** The visit's session and user, or undefined once the browser has been sent to sign in. */
  async function current(ctx: Context): Promise<{ s: AccountSession; user: User } | undefined> {
    const sid = cookie(ctx, SESSION_COOKIE);
    const s = await sessions.find(sid);
    const user = s && (await directory.findById(s.accountId));
    if (!s || !user) {
      if (s) await sessions.end(s.id);
      if (sid) clearCookie(ctx, SESSION_COOKIE);
      await signIn(ctx, 'signin');
      return undefined;
    }
    return { s, user };
  }

  /**
   * The checks every change passes before it is looked at (a foreign origin was refused already, by
   * sameOriginPosts): a session, the page's own form (CSRF token), and a recent enough sign-in (else the user
   * signs in again and comes back to repeat it).
   */
  async function change(ctx: Context): Promise<{ s: AccountSession; user: User; form: Record<string, string> } | undefined> {
    const c = await current(ctx);
    if (!c) return undefined;
    const form = await readForm(ctx);
    if (!sameToken(form.csrf, c.s.csrf)) {
      log.warn('account.refused', { reason: 'missing or wrong CSRF token', accountId: c.user.id, path: ctx.path });
      await message(ctx, 403, 'Request refused', 'This form has expired or did not come from your security info page, so nothing was changed. Reload the page and try again.', startAgain);
      return undefined;
    }
    if (!sessions.isFresh(c.s)) {
      await signIn(ctx, 'reauth', c.user.userPrincipalName);
      return undefined;
    }
    return { ...c, form };
  }

  function done(ctx: Context, notice: keyof typeof NOTICES) {
    ctx.status = 303;
    ctx.redirect(`${SECURITY_INFO_PATH}?done=${notice}`);
  }

  async function show(ctx: Context, s: AccountSession, user: User, extra: { notice?: string; error?: string; status?: number } = {}) {
    const [list, tap, usable] = await Promise.all([passkeys.list(user.id), taps.get(user), taps.usableTap(user)]);
    const fresh = sessions.isFresh(s);
    const base = `${SECURITY_INFO_PATH}/passkeys`;
    await renderView(
      ctx,
      'security-info',
      {
        title: 'Security info',
        username: user.userPrincipalName,
        displayName: user.displayName,
        csrf: s.csrf,
        notice: extra.notice ?? null,
        error: extra.error ?? null,
        passkeys: list.map((p) => ({
          name: p.name,
          kind: p.deviceType === 'multiDevice' ? 'Synced passkey' : 'Passkey on a device or security key',
          added: formatDate(p.createdAt),
          lastUsed: p.lastUsedAt ? formatDate(p.lastUsedAt) : null,
          renameAction: `${base}/${encodeURIComponent(p.id)}/rename`,
          deleteAction: `${base}/${encodeURIComponent(p.id)}/delete`,
        })),
        password: user.passwordHash !== undefined,
        tap: tap ? tapView(tap) : null,
        // Onboarding: the TAP is the only way in, and it will end.
        banner: list.length === 0 && user.passwordHash === undefined && usable !== undefined,
        addAction: base,
        reauthMinutes: Math.round(deps.reauthenticationMaxAgeSeconds / 60),
        // A stale sign-in gets a plain button that leads to signing in again, not a passkey made for nothing.
        options: fresh ? JSON.stringify(await passkeys.registrationOptions(user, registrationPurpose(s))) : null,
      },
      extra.status ?? 200,
    );
  }

  router.get('/', (ctx) => {
    ctx.redirect(SECURITY_INFO_PATH);
  });

  router.get('/security-info', async (ctx) => {
    const c = await current(ctx);
    if (!c) return;
    const key = typeof ctx.query.done === 'string' ? ctx.query.done : '';
    await show(ctx, c.s, c.user, { notice: Object.hasOwn(NOTICES, key) ? NOTICES[key]! : undefined });
  });

  router.get('/callback', async (ctx) => {
    const q = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : '');
    const state = q('state');
    const bound = cookie(ctx, LOGIN_COOKIE);
    if (bound) clearCookie(ctx, LOGIN_COOKIE);
    // The state must be the one this browser was sent off with: a sign-in started elsewhere is not taken.
    const login = state && bound === state ? await sessions.takeLogin(state) : undefined;
    if (!login) {
      return message(ctx, 400, 'This sign-in has expired', 'Signing in took too long or was started somewhere else. Start again from your security info page.', startAgain);
    }
    if (q('error')) {
      const cancelled = q('error') === 'access_denied';
      return message(
        ctx,
        cancelled ? 403 : 400,
        cancelled ? 'Sign-in cancelled' : 'Sign-in did not work',
        cancelled ? 'You did not finish signing in, so your security info is not shown.' : 'Signing in did not work. Try again.',
        { href: SECURITY_INFO_PATH, label: 'Try again' },
      );
    }
    const iss = q('iss');
    const signedIn = !iss || iss === provider.issuer ? await redeemAccountCode(provider, q('code'), login.verifier, redirectUri) : undefined;
    if (!signedIn) {
      log.warn('account.signin.refused', { reason: 'code not redeemable' });
      return message(ctx, 400, 'Sign-in did not work', 'Signing in did not work. Try again.', { href: SECURITY_INFO_PATH, label: 'Try again' });
    }
    const previous = cookie(ctx, SESSION_COOKIE);
    if (previous) await sessions.end(previous);
    const s = await sessions.create(signedIn);
    setCookie(ctx, SESSION_COOKIE, s.id, s.expiresAt - Date.now());
    log.info('account.signin', { accountId: s.accountId, amr: s.amr });
    if (login.reason === 'reauth') return done(ctx, 'reauth');
    ctx.status = 303;
    ctx.redirect(SECURITY_INFO_PATH);
  });

  router.post('/security-info/passkeys', async (ctx) => {
    const c = await change(ctx);
    if (!c) return;
    // The plain button of a page shown before signing in again: now the ceremony can start.
    if (!c.form.response) return ctx.redirect(SECURITY_INFO_PATH);
    const result = await passkeys.register(c.user, registrationPurpose(c.s), c.form.response, c.form.name, auditRecords.selfContext(c.user, ctx.ip));
    if (!result.ok) return show(ctx, c.s, c.user, { error: result.error, status: 400 });
    done(ctx, 'added');
  });

  router.post('/security-info/passkeys/:id/rename', async (ctx) => {
    const c = await change(ctx);
    if (!c) return;
    const id = ctx.params.id!;
    const passkey = await passkeys.get(c.user.id, id);
    if (!passkey) return show(ctx, c.s, c.user, { error: 'That passkey is no longer registered.', status: 404 });
    if (!(await passkeys.rename(c.user, passkey, c.form.name ?? '', auditRecords.selfContext(c.user, ctx.ip)))) {
      return show(ctx, c.s, c.user, { error: 'Enter a name for the passkey.', status: 400 });
    }
    done(ctx, 'renamed');
  });

  router.post('/security-info/passkeys/:id/delete', async (ctx) => {
    const c = await change(ctx);
    if (!c) return;
    const id = ctx.params.id!;
    const list = await passkeys.list(c.user.id);
    const passkey = list.find((p) => p.id === id);
    if (!passkey) return show(ctx, c.s, c.user, { error: 'That passkey is no longer registered.', status: 404 });
    // A password or a usable TAP is a way back in (to register a new passkey); without one, deleting the last
    // passkey locks the user out until an administrator helps. The count and the deletion are one atomic step.
    const keepLast = c.user.passwordHash === undefined && !(await taps.usableTap(c.user));
    const deleted = await passkeys.delete(c.user, passkey, auditRecords.selfContext(c.user, ctx.ip), { keepLast });
    if (deleted === 'last') return show(ctx, c.s, c.user, { error: LAST_METHOD, status: 409 });
    done(ctx, 'deleted');
  });

  router.post('/security-info/tap/:id/delete', async (ctx) => {
    const c = await change(ctx);
    if (!c) return;
    try {
      // Revokes every session obtained with the TAP if it was still usable: perhaps the one this page rests on.
      await taps.delete(c.user, ctx.params.id!, auditRecords.selfContext(c.user, ctx.ip));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      return show(ctx, c.s, c.user, { error: 'That Temporary Access Pass no longer exists.', status: 404 });
    }
    log.info('account.tap.deleted', { accountId: c.user.id });
    if (await sessions.find(c.s.id)) return done(ctx, 'tap-deleted');
    clearCookie(ctx, SESSION_COOKIE);
    await message(
      ctx,
      200,
      'Temporary Access Pass deleted',
      'Your Temporary Access Pass was deleted. You had signed in with it, so you have been signed out. Sign in again with another method to continue.',
      { href: SECURITY_INFO_PATH, label: 'Sign in again' },
    );
  });

  return router;
}

function sameToken(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const REASONS: Record<string, (start: string, end: string) => string> = {
  EnabledByPolicy: (_s, end) => `Expires ${end}`,
  NotYetValid: (start, end) => `Valid from ${start} until ${end}`,
  Expired: (_s, end) => `Expired ${end}`,
  OneTimeUsed: (_s, end) => `Already used: it could be used only once (it would have expired ${end})`,
  LockedOut: () => 'Locked after too many wrong attempts',
  DisabledByPolicy: () => "Not allowed by your organisation's sign-in policy",
};

/** The TAP as the page shows it; never its passcode (which is not stored anyway). */
function tapView(t: TemporaryAccessPassMethod) {
  const start = Date.parse(t.startDateTime);
  const end = start + t.lifetimeInMinutes * 60_000;
  return {
    id: t.id,
    kind: t.isUsableOnce ? 'One-time use' : 'Can be used more than once',
    added: formatDate(Date.parse(t.createdDateTime)),
    status: REASONS[t.methodUsabilityReason]!(formatDate(start), formatDate(end)),
    usable: t.isUsable,
    deleteAction: `${SECURITY_INFO_PATH}/tap/${encodeURIComponent(t.id)}/delete`,
  };
}
