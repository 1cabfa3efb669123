import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import type { PageLink } from '../http/views/PageLink.js';

/** A page of the security-info area that says one thing; its title is its heading. */
export async function showAccountMessage(ctx: Context, status: number, heading: string, text: string, link: PageLink | null): Promise<void> {
  await renderView(ctx, 'message', { title: heading, heading, message: text, link }, status);
}
