import type { RouterMiddleware } from '@koa/router';
import { AuditActivity } from '../audit/AuditActivity.js';
import { auditRecords } from '../audit/auditRecords.js';
import { NotFoundError } from '../errors.js';
import { readForm } from '../http/readForm.js';
import { passkeyAmr, signInPurpose } from '../methods/passkey/PasskeyMethod.js';
import { loadLiveSignIn } from './loadLiveSignIn.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { showConfirm } from './showConfirm.js';
import { showSignInEnded } from './showSignInEnded.js';

/**
 * POST /interaction/:uid/confirm: the new passkey signed in; only now is it kept (while its TAP still carries
 * the sign-in), the TAP deleted if the deployment says so, and the interaction finished as a passkey sign-in.
 */
export function submitConfirmation(deps: RegistrationRouterDeps): RouterMiddleware {
  const { pending, passkeys, completer, log } = deps;
  return async (ctx) => {
    const l = await loadLiveSignIn(deps, ctx);
    if (!l) return;
    if (!l.pending.passkey) return ctx.redirect(`/interaction/${l.d.uid}/register`);
    const form = await readForm(ctx);
    const result = await passkeys.authenticateWith(signInPurpose(l.d.uid), form.response ?? '', l.pending.passkey);
    if (!result.ok) return showConfirm(deps, ctx, { ...l, passkey: l.pending.passkey }, result.error);
    const tapId = l.pending.login.tapId ?? '';
    // Taken once, unless revoked since it was read; then kept only while its TAP still carries the sign-in.
    if (!(await pending.take(l.d.uid, l)) || !(await passkeys.storeUnderTap(l.user, result.passkey, tapId, auditRecords.selfContext(l.user, ctx.ip)))) {
      return showSignInEnded(ctx, l.d);
    }
    if (deps.deleteTapAfterPasskey && tapId) {
      // The passkey works: a TAP that could be shared or leaked has nothing left to do.
      const system = { type: 'system', id: 'oidc-tap' } as const;
      await deps.taps.delete(l.user, tapId, { actor: system, ...(ctx.ip ? { ip: ctx.ip } : {}), reason: AuditActivity.reasons.tapDeletedAfterPasskey }).then(
        () => log.info('tap.deleted.after-passkey', { userId: l.user.id }),
        // Deleted or replaced by an administrator after the passkey was kept: nothing left to close.
        (err: unknown) => { if (!(err instanceof NotFoundError)) throw err; },
      );
    }
    await completer.login(ctx, l.d, { ok: true, accountId: l.user.id, amr: passkeyAmr(result.passkey), acr: 'phr', passkeyId: result.passkey.id });
  };
}
