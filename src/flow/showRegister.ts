import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import { canSkipRegistration } from './canSkipRegistration.js';
import type { LiveSignIn } from './LiveSignIn.js';
import { clientName } from './loadInteraction.js';
import { registrationPurpose } from './registrationPurpose.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { WINDOW_CLOSED } from './WINDOW_CLOSED.js';
import { msg } from '../i18n/msg.js';
import type { MessageRef } from '../i18n/MessageRef.js';

/** The registration page: the ceremony while the window is open, else how to start again. */
export async function showRegister(deps: RegistrationRouterDeps, ctx: Context, l: LiveSignIn, error?: MessageRef, status = 200): Promise<void> {
  const { d, pending: p, user } = l;
  const left = await deps.pending.windowLeft(d.uid, p);
  const closed = left <= 0;
  const base = `/interaction/${d.uid}`;
  await renderView(
    ctx,
    'register',
    {
      title: msg('register.title'),
      username: user.userPrincipalName,
      clientName: await clientName(deps.provider, d),
      action: `${base}/register`,
      options: closed ? null : JSON.stringify(await deps.passkeys.registrationOptions(user, registrationPurpose(d.uid))),
      secondsLeft: Number.isFinite(left) ? Math.floor(left / 1000) : null,
      skipAction: !closed && (await canSkipRegistration(deps, d, p, user)) ? `${base}/register/skip` : null,
      abortAction: `${base}/abort`,
      restartHref: closed ? `${base}/restart` : null,
      error: closed ? WINDOW_CLOSED : (error ?? null),
    },
    closed ? 403 : error ? status : 200,
  );
}
