import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import type { PageLink } from '../http/views/PageLink.js';
import type { MessageRef } from '../i18n/MessageRef.js';
import type { Text } from '../i18n/Text.js';

/** A page of the security-info area that says one thing; its title is its heading. */
export async function showAccountMessage(ctx: Context, status: number, heading: MessageRef, text: Text, link: PageLink | null): Promise<void> {
  await renderView(ctx, 'message', { title: heading, heading, message: text, link }, status);
}
