import type { Context } from 'koa';
import type { AccountTools } from './AccountTools.js';
import type { NOTICES } from './NOTICES.js';
import { redirectWithNotice } from './redirectWithNotice.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';
import { showAccountMessage } from './showAccountMessage.js';
import { msg } from '../i18n/msg.js';
import type { MessageRef } from '../i18n/MessageRef.js';

/**
 * After deleting a sign-in method: back to the page with `notice`; or, when the deletion revoked the sign-in this
 * page rests on (it was obtained with that method), signed out, told so under `heading`.
 */
export async function afterMethodDeleted(ctx: Context, t: AccountTools, sessionId: string, notice: keyof typeof NOTICES, heading: MessageRef, text: MessageRef): Promise<void> {
  if (await t.sessions.find(sessionId)) return redirectWithNotice(ctx, notice);
  t.cookies.clear(ctx, t.cookies.session);
  await showAccountMessage(ctx, 200, heading, text, { href: SECURITY_INFO_PATH, label: msg('common.signInAgain') });
}
