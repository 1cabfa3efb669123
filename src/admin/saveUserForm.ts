import type { RouterMiddleware } from '@koa/router';
import { BadRequestError, ConflictError, ForbiddenError, MethodNotAllowedError } from '../errors.js';
import { createUser } from '../graph/createUser.js';
import { schemas } from '../graph/schemas.js';
import { updateUser } from '../graph/updateUser.js';
import type { UserFields } from '../graph/UserFields.js';
import { validate } from '../graph/validate.js';
import { renderView } from '../http/renderView.js';
import { adminAuditContext } from './adminAuditContext.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { refuse } from './refuse.js';
import { refusalOf } from './refusalOf.js';
import { targetOf } from './targetOf.js';
import { userFormView } from './userFormView.js';
import { userPath } from './userPath.js';

/**
 * POST /admin/users/new and /admin/users/:id/edit: create or change a user through the admin API's own
 * createUser / updateUser, after the API's own body validation (schemas), so HR meets the same rules in both.
 */
export function saveUserForm(t: AdminTools, mode: 'create' | 'edit'): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx, ctx.path.replace(/\/edit$/, ''));
    if (!v) return;
    const target = mode === 'edit' ? await targetOf(t, ctx, v, 'editUser') : undefined;
    if (mode === 'edit' && !target) return;
    const why = mode === 'create' ? refusalOf(v.caller, 'createUser') : undefined;
    if (why) return refuse(ctx, why);
    const f = v.form;
    const given = { userPrincipalName: (f.userPrincipalName ?? '').trim(), displayName: (f.displayName ?? '').trim(), groups: f.groups ?? '', enabled: f.enabled === 'on' };
    const fields: UserFields = {
      displayName: given.displayName,
      groups: given.groups.split(',').map((g) => g.trim()).filter(Boolean),
      accountEnabled: given.enabled,
    };
    const { directory } = t.deps;
    try {
      if (mode === 'create') {
        if (!directory.can('create')) throw new MethodNotAllowedError('The user directory of this deployment cannot create users.', []);
        const body = { ...fields, userPrincipalName: given.userPrincipalName, displayName: given.displayName };
        validate(schemas.UserCreate!, body, schemas);
        const user = await createUser(t.deps, v.caller, body, adminAuditContext(ctx, v));
        ctx.status = 303;
        return ctx.redirect(`${userPath(user)}?done=userCreated`);
      }
      if (!directory.can('update')) throw new MethodNotAllowedError('The user directory of this deployment cannot change users.', []);
      validate(schemas.UserUpdate!, fields, schemas);
      const user = await updateUser(t.deps, v.caller, target!.id, fields, adminAuditContext(ctx, v));
      ctx.status = 303;
      ctx.redirect(`${userPath(user)}?done=userSaved`);
    } catch (err) {
      const status = err instanceof BadRequestError ? 400 : err instanceof ConflictError ? 409 : err instanceof ForbiddenError ? 403 : err instanceof MethodNotAllowedError ? 405 : 0;
      if (!status) throw err;
      await renderView(ctx, 'admin-user-form', userFormView(ctx, t, v, target, given, (err as ForbiddenError).said ?? { verbatim: (err as Error).message }), status);
    }
  };
}
