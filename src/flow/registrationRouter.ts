import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { AuditActivity } from '../audit/AuditActivity.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { auditRecords } from '../audit/auditRecords.js';
import type { Directory } from '../directory/Directory.js';
import type { User } from '../directory/User.js';
import { readForm } from '../http/readForm.js';
import { renderView } from '../http/renderView.js';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import { passkeyAmr, signInPurpose } from '../methods/passkey/PasskeyMethod.js';
import type { Passkey } from '../passkeys/Passkey.js';
import type { PasskeyService } from '../passkeys/PasskeyService.js';
import type { TapService } from '../tap/TapService.js';
import { clientName, loadInteraction, requiresPhr } from './loadInteraction.js';
import type { Details, LoginCompleter } from './LoginCompleter.js';
import type { PendingLogin, PendingLogins } from './PendingLogins.js';
import { SIGN_IN_ENDED } from './SIGN_IN_ENDED.js';

export interface RegistrationRouterDeps {
  provider: Provider;
  directory: Directory;
  taps: TapService;
  passkeys: PasskeyService;
  pending: PendingLogins;
  completer: LoginCompleter;
  /** Delete the TAP once the new passkey has signed in (deployment option `deleteTapAfterPasskey`). */
  deleteTapAfterPasskey: boolean;
  log: Logger;
  /** Where the new passkey (and the TAP deleted after it) is recorded. */
  audit?: AuditLog;
}

export const WINDOW_CLOSED =
  'The 10 minutes to register a passkey after signing in with your one-time Temporary Access Pass have passed. ' +
  'Ask your administrator for a new Temporary Access Pass, then sign in again.';
export const MUST_REGISTER = 'Register a passkey to continue. You can only skip this while your Temporary Access Pass can still be used again.';

const registrationPurpose = (interactionId: string) => `reg:${interactionId}`;

type Live = { d: Details; pending: PendingLogin; raw: string; user: User };

/**
 * The steps after a TAP sign-in: register a passkey, then sign in once with it to prove it works. Only then is
 * the passkey kept and the interaction finished, as a passkey sign-in no longer capped by the TAP. Every step
 * first checks that the TAP the sign-in began with still carries it; the keeping of the passkey and the end of
 * the sign-in check it again atomically, so an administrator who deletes or replaces the TAP, or revokes the
 * sessions, at any moment leaves the holder of the sign-in with nothing.
 */
export function registrationRouter(deps: RegistrationRouterDeps): Router {
  const { provider, directory, passkeys, pending, completer, log } = deps;
  const router = new Router({ prefix: '/interaction/:uid' });

  async function showEnded(ctx: Context, d: Details) {
    await renderView(
      ctx,
      'message',
      {
        title: 'Sign-in ended',
        heading: 'This sign-in has ended',
        message: SIGN_IN_ENDED,
        link: { href: `/interaction/${d.uid}`, label: 'Sign in again' },
      },
      403,
    );
  }

  /** The interaction, its live TAP sign-in and its user; or a page (or redirect) explaining why not. */
  async function load(ctx: Context): Promise<Live | undefined> {
    const d = await loadInteraction(provider, ctx);
    if (!d) return undefined;
    const rec = await pending.get(d.uid);
    if (rec?.ended) {
      await showEnded(ctx, d);
      return undefined;
    }
    const user = rec && (await directory.findById(rec.pending.login.accountId));
    if (!rec || !user) {
      ctx.status = 303;
      ctx.redirect(`/interaction/${d.uid}`);
      return undefined;
    }
    // Expiry, a lock or the policy end a sign-in with no event that could revoke it: checked at every step.
    if (!(await deps.taps.carrying(user, rec.pending.login.tapId ?? ''))) {
      await pending.markEnded(d.uid, rec.pending);
      await showEnded(ctx, d);
      return undefined;
    }
    return { d, pending: rec.pending, raw: rec.raw, user };
  }

  /** Skipping is for a multi-use TAP that is still good, and never when the client demands a passkey. */
  async function canSkip(d: Details, p: PendingLogin, user: User): Promise<boolean> {
    if (p.once || requiresPhr(d)) return false;
    const tap = await deps.taps.usableTap(user);
    return tap !== undefined && tap.id === p.login.tapId;
  }

  async function showRegister(ctx: Context, l: Live, error?: string, status = 200) {
    const { d, pending: p, user } = l;
    const left = await pending.windowLeft(d.uid, p);
    const closed = left <= 0;
    const base = `/interaction/${d.uid}`;
    await renderView(
      ctx,
      'register',
      {
        title: 'Register a passkey',
        username: user.userPrincipalName,
        clientName: await clientName(provider, d),
        action: `${base}/register`,
        options: closed ? null : JSON.stringify(await passkeys.registrationOptions(user, registrationPurpose(d.uid))),
        secondsLeft: Number.isFinite(left) ? Math.floor(left / 1000) : null,
        skipAction: !closed && (await canSkip(d, p, user)) ? `${base}/register/skip` : null,
        abortAction: `${base}/abort`,
        restartHref: closed ? `${base}/restart` : null,
        error: closed ? WINDOW_CLOSED : (error ?? null),
      },
      closed ? 403 : error ? status : 200,
    );
  }

  async function showConfirm(ctx: Context, l: Live & { passkey: Passkey }, error?: string) {
    const { d, user, passkey } = l;
    const options = await passkeys.authenticationOptions(signInPurpose(d.uid), [passkey]);
    await renderView(
      ctx,
      'confirm-passkey',
      {
        title: 'Sign in with your new passkey',
        username: user.userPrincipalName,
        clientName: await clientName(provider, d),
        action: `/interaction/${d.uid}/confirm`,
        options: JSON.stringify(options),
        error: error ?? null,
      },
      error ? 400 : 200,
    );
  }

  router.get('/register', async (ctx) => {
    const l = await load(ctx);
    if (!l) return;
    if (l.pending.passkey) return ctx.redirect(`/interaction/${l.d.uid}/confirm`);
    await showRegister(ctx, l);
  });

  router.post('/register', async (ctx) => {
    const l = await load(ctx);
    if (!l) return;
    const form = await readForm(ctx);
    // The window is checked before anything else: a late answer is refused even if it is a good one.
    if ((await pending.windowLeft(l.d.uid, l.pending)) <= 0) return showRegister(ctx, l);
    const result = await passkeys.verifyRegistration(l.user, registrationPurpose(l.d.uid), form.response ?? '', form.name);
    if (!result.ok) return showRegister(ctx, l, result.error, 400);
    if (!(await pending.attachPasskey(l.d.uid, l, result.passkey))) return showEnded(ctx, l.d);
    ctx.status = 303;
    ctx.redirect(`/interaction/${l.d.uid}/confirm`);
  });

  router.post('/register/skip', async (ctx) => {
    const l = await load(ctx);
    if (!l) return;
    await readForm(ctx);
    if (!(await canSkip(l.d, l.pending, l.user))) return showRegister(ctx, l, MUST_REGISTER, 403);
    if (!(await pending.take(l.d.uid, l))) return showEnded(ctx, l.d);
    await completer.login(ctx, l.d, l.pending.login);
  });

  router.get('/confirm', async (ctx) => {
    const l = await load(ctx);
    if (!l) return;
    if (!l.pending.passkey) return ctx.redirect(`/interaction/${l.d.uid}/register`);
    await showConfirm(ctx, { ...l, passkey: l.pending.passkey });
  });

  router.post('/confirm', async (ctx) => {
    const l = await load(ctx);
    if (!l) return;
    if (!l.pending.passkey) return ctx.redirect(`/interaction/${l.d.uid}/register`);
    const form = await readForm(ctx);
    const result = await passkeys.authenticateWith(signInPurpose(l.d.uid), form.response ?? '', l.pending.passkey);
    if (!result.ok) return showConfirm(ctx, { ...l, passkey: l.pending.passkey }, result.error);
    const tapId = l.pending.login.tapId ?? '';
    // Taken once, unless revoked since it was read; then kept only while its TAP still carries the sign-in.
    if (!(await pending.take(l.d.uid, l)) || !(await passkeys.storeUnderTap(result.passkey, tapId))) return showEnded(ctx, l.d);
    await deps.audit?.recordDirectory(auditRecords.userRegisteredPasskey(l.user, result.passkey, ctx.ip));
    if (deps.deleteTapAfterPasskey && tapId) {
      // The passkey works: a TAP that could be shared or leaked has nothing left to do.
      await deps.taps.delete(l.user, tapId).then(
        async () => {
          log.info('tap.deleted.after-passkey', { userId: l.user.id });
          const system = { type: 'system', id: 'oidc-tap' } as const;
          await deps.audit?.recordDirectory(auditRecords.adminDeletedTap(system, l.user, tapId, ctx.ip, AuditActivity.reasons.tapDeletedAfterPasskey));
        },
        // Deleted or replaced by an administrator after the passkey was kept: nothing left to close.
        (err: unknown) => { if (!(err instanceof NotFoundError)) throw err; },
      );
    }
    await completer.login(ctx, l.d, { ok: true, accountId: l.user.id, amr: passkeyAmr(result.passkey), acr: 'phr' });
  });

  /** Drop the pending sign-in of this interaction, then `next` decides where the user goes. */
  async function dropPending(ctx: Context, next: (d: Details) => Promise<void>) {
    const d = await loadInteraction(provider, ctx);
    if (!d) return;
    await readForm(ctx);
    const rec = await pending.get(d.uid);
    if (rec) await pending.end(d.uid, rec.ended ? undefined : rec.pending);
    await next(d);
  }

  // Start over from the identifier with the same interaction (after the window closed, with a new TAP).
  router.post('/restart', (ctx) =>
    dropPending(ctx, async (d) => {
      ctx.status = 303;
      ctx.redirect(`/interaction/${d.uid}`);
    }),
  );

  router.post('/abort', (ctx) => dropPending(ctx, () => completer.abort(ctx, 'The user did not finish signing in.')));

  return router;
}
