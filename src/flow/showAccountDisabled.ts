import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import { ACCOUNT_DISABLED } from './ACCOUNT_DISABLED.js';
import type { Details } from './LoginCompleter.js';

/** The person proved who they are, and that account is disabled: say so, nothing is signed in. */
export async function showAccountDisabled(ctx: Context, d: Details): Promise<void> {
  await renderView(
    ctx,
    'message',
    {
      title: 'Account disabled',
      heading: 'Your account is disabled',
      message: ACCOUNT_DISABLED,
      link: { href: `/interaction/${d.uid}`, label: 'Sign in with another account' },
    },
    403,
  );
}
