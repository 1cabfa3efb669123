import type { RouterMiddleware } from '@koa/router';
import { BadRequestError } from '../errors.js';
import { msg } from '../i18n/msg.js';
import { renderView } from '../http/renderView.js';
import { keys } from '../store/keys.js';
import { adminAuditContext } from './adminAuditContext.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { issueView } from './issueView.js';
import { targetOf } from './targetOf.js';
import { userPath } from './userPath.js';

/** How long a sent form's token is remembered: far longer than anyone keeps a page open to resend it. */
const FORM_MEMORY_SECONDS = 86_400;

/**
 * POST /admin/users/:id/issue: issue a TAP through the same TapService.create as the admin API (so the same
 * policy checks, the same audit record, the same two-person rule), and answer with its passcode, this once.
 *
 * The passcode is rendered in the response to this POST (Cache-Control: no-store, as every page) and kept
 * nowhere: not in Redis, not in a flash, not in a log. A reload would resend the form, so each form carries a
 * single-use token: a resent one issues nothing and leads back to the user's page, which never shows a passcode.
 */
export function issueTap(t: AdminTools): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx, `${ctx.path.replace(/\/issue$/, '')}`);
    if (!v) return;
    const user = await targetOf(t, ctx, v, 'issueTap');
    if (!user) return;
    const by = adminAuditContext(ctx, v);
    const f = v.form;
    const values = { lifetime: (f.lifetime ?? '').trim(), start: (f.start ?? '').trim(), once: f.once === 'on' };
    const nonce = f.nonce ?? '';
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce) || (await t.deps.redis.set(keys.adminFormUsed(nonce), '1', 'EX', FORM_MEMORY_SECONDS, 'NX')) !== 'OK') {
      ctx.status = 303;
      return ctx.redirect(`${userPath(user)}?done=formUsed`);
    }
    const lifetime = /^\d{1,6}$/.test(values.lifetime) ? Number(values.lifetime) : Number.NaN;
    try {
      if (Number.isNaN(lifetime)) throw new BadRequestError('Invalid LifetimeInMinutes specified: give a whole number of minutes.', msg('admin.issue.error.wholeMinutes'));
      // datetime-local has no time zone: the form says its times are UTC.
      const start = values.start ? `${values.start.length === 16 ? `${values.start}:00` : values.start}Z` : undefined;
      const tap = await t.deps.taps.create(user, { lifetimeInMinutes: lifetime, isUsableOnce: values.once, ...(start ? { startDateTime: start } : {}) }, by);
      const startMs = Date.parse(tap.startDateTime);
      t.log.info('admin.tap.issued', { accountId: v.user.id, userId: user.id, tapId: tap.id });
      await renderView(
        ctx,
        'admin-issue',
        await issueView(ctx, t, v, user, by, {
          values,
          issued: {
            passcode: tap.temporaryAccessPass ?? '',
            start: startMs,
            end: startMs + tap.lifetimeInMinutes * 60_000,
            once: tap.isUsableOnce,
            pending: tap.methodUsabilityReason === 'PendingApproval',
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      await renderView(ctx, 'admin-issue', await issueView(ctx, t, v, user, by, { values, error: err.said ?? { verbatim: err.message } }), 400);
    }
  };
}
