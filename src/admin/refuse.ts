import type { Context } from 'koa';
import { showAccountMessage } from '../account/showAccountMessage.js';
import type { Text } from '../i18n/Text.js';
import { msg } from '../i18n/msg.js';

/** A console page or change the visitor's role does not allow: 403, saying why (the admin API's reason). */
export async function refuse(ctx: Context, why: Text, back = '/admin'): Promise<void> {
  await showAccountMessage(ctx, 403, msg('admin.refused.actionHeading'), why, { href: back, label: msg('admin.backToConsole') });
}
