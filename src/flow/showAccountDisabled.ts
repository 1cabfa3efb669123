import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';
import { ACCOUNT_DISABLED } from './ACCOUNT_DISABLED.js';
import type { Details } from './LoginCompleter.js';

/** The person proved who they are, and that account is disabled: say so, nothing is signed in. */
export async function showAccountDisabled(ctx: Context, d: Details): Promise<void> {
  await renderView(
    ctx,
    'message',
    {
      title: msg('accountDisabled.title'),
      heading: msg('accountDisabled.heading'),
      message: ACCOUNT_DISABLED,
      link: { href: `/interaction/${d.uid}`, label: msg('accountDisabled.otherAccount') },
    },
    403,
  );
}
