import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import type { Details } from './LoginCompleter.js';
import { SIGN_IN_ENDED } from './SIGN_IN_ENDED.js';

/** The TAP sign-in of this interaction has ended: say so, and offer to sign in again. */
export async function showSignInEnded(ctx: Context, d: Details): Promise<void> {
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
