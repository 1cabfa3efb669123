import type { Context } from 'koa';
import { keys } from '../store/keys.js';
import type { InteractionTools } from './InteractionTools.js';
import type { Details } from './LoginCompleter.js';
import { msg } from '../i18n/msg.js';

/**
 * Clients are the deployment's own, so consent to sign in is implied; admin API permissions need the person's
 * `allowed` on the consent page, unless accepted before in this grant; so does every device sign-in. A TAP session's new grants end with the TAP, a passkey session's with the passkey.
 */
export async function finishConsent(t: InteractionTools, ctx: Context, d: Details, allowed = false): Promise<void> {
  const { directory, completer } = t.deps;
  const accountId = d.session?.accountId;
  if (!accountId) return t.pages.showIdentifier(ctx, d);
  let capAt: number | undefined;
  let tapId: string | undefined;
  let passkeyId: string | undefined;
  const amr = d.session?.amr ?? [];
  if ((amr.includes('hwk') || amr.includes('swk')) && d.session?.uid) {
    // A passkey session's new grants end with the passkey too.
    const link = await t.deps.redis.get(keys.sessionPasskey(d.session.uid));
    const kept = link ? (JSON.parse(link) as { accountId?: string; passkeyId?: string }) : undefined;
    if (kept?.accountId === accountId) passkeyId = kept.passkeyId;
  }
  if (amr.includes('tap')) {
    const [user, link] = await Promise.all([
      directory.findById(accountId),
      d.session?.uid ? t.deps.redis.get(keys.sessionTap(d.session.uid)) : undefined,
    ]);
    const tap = user && (await t.deps.taps.usableTap(user));
    const sessionTapId = link ? (JSON.parse(link) as { tapId?: string }).tapId : undefined;
    // The TAP this session was obtained with is gone, spent or replaced: sign in again.
    if (!tap || tap.id !== sessionTapId) {
      return t.pages.showIdentifier(ctx, d, user?.userPrincipalName ?? '', msg('tap.error.ended'));
    }
    capAt = tap.end;
    tapId = tap.id;
  }
  const consent = await completer.apiConsent(d, accountId);
  // A device's sign-in is approved only once the person allowed the app it names: the code they typed may have
  // come from someone else's device (a phished code).
  if ((consent.pending.length || d.deviceCode) && !allowed) return t.pages.showConsent(ctx, d, consent.pending);
  const grantId = await completer.createGrant(d, accountId, { capAt, tapId, passkeyId }, allowed ? [...consent.approved, ...consent.pending] : consent.approved);
  await completer.finish(ctx, { consent: { grantId } });
}
