import type { Context } from 'koa';
import type { PageLink } from '../http/views/PageLink.js';
import { AccountCookies } from './AccountCookies.js';
import type { AccountTools } from './AccountTools.js';
import { appHome } from './appHome.js';

/**
 * The page's way back to the application it was opened from: an application links to the page with its own
 * `?client_id=`, remembered in a cookie (`remember`, before the sign-in the visit may need) so that it outlives the
 * sign-in and the redirect after each change.
 */
export async function backToApp(ctx: Context, t: AccountTools, remember = false): Promise<PageLink | null> {
  const asked = typeof ctx.query.client_id === 'string' ? ctx.query.client_id : undefined;
  if (asked !== undefined) {
    const link = await appHome(t, asked);
    if (link && remember) t.cookies.set(ctx, AccountCookies.RETURN, encodeURIComponent(asked), AccountCookies.RETURN_MS);
    return link;
  }
  const kept = t.cookies.get(ctx, AccountCookies.RETURN);
  try {
    return await appHome(t, kept === undefined ? undefined : decodeURIComponent(kept));
  } catch {
    return null;
  }
}
