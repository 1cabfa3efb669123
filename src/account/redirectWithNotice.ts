import type { Context } from 'koa';
import type { NOTICES } from './NOTICES.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';

/** After a change: back to the page (303, so a reload does not post again), which then says what was done. */
export function redirectWithNotice(ctx: Context, notice: keyof typeof NOTICES): void {
  ctx.status = 303;
  ctx.redirect(`${SECURITY_INFO_PATH}?done=${notice}`);
}
