import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import type { Details } from './LoginCompleter.js';
import { SIGN_IN_ENDED } from './SIGN_IN_ENDED.js';
import { msg } from '../i18n/msg.js';

/** The TAP sign-in of this interaction has ended: say so, and offer to sign in again. */
export async function showSignInEnded(ctx: Context, d: Details): Promise<void> {
  await renderView(
    ctx,
    'message',
    {
      title: msg('signInEnded.title'),
      heading: msg('signInEnded.heading'),
      message: SIGN_IN_ENDED,
      link: { href: `/interaction/${d.uid}`, label: msg('common.signInAgain') },
    },
    403,
  );
}
