import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import { signInPurpose } from '../methods/passkey/PasskeyMethod.js';
import type { Passkey } from '../passkeys/Passkey.js';
import type { LiveSignIn } from './LiveSignIn.js';
import { clientName } from './loadInteraction.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { msg } from '../i18n/msg.js';
import type { MessageRef } from '../i18n/MessageRef.js';

/** The confirming sign-in, with the new passkey only. */
export async function showConfirm(deps: RegistrationRouterDeps, ctx: Context, l: LiveSignIn & { passkey: Passkey }, error?: MessageRef): Promise<void> {
  const { d, user, passkey } = l;
  const options = await deps.passkeys.authenticationOptions(signInPurpose(d.uid), [passkey]);
  await renderView(
    ctx,
    'confirm-passkey',
    {
      title: msg('confirmPasskey.title'),
      username: user.userPrincipalName,
      clientName: await clientName(deps.provider, d),
      action: `/interaction/${d.uid}/confirm`,
      options: JSON.stringify(options),
      error: error ?? null,
    },
    error ? 400 : 200,
  );
}
