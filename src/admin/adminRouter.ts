import Router from '@koa/router';
import { buildPageTools } from '../account/buildPageTools.js';
import { finishAccountSignIn } from '../account/finishAccountSignIn.js';
import { MethodNotAllowedError, NotFoundError } from '../errors.js';
import { ADMIN_PAGE } from './ADMIN_PAGE.js';
import type { AdminDeps } from './AdminDeps.js';
import { adminPages } from './adminNav.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { deleteUser } from '../graph/deleteUser.js';
import { issueTap } from './issueTap.js';
import { saveUserForm } from './saveUserForm.js';
import { showDeleteUser } from './showDeleteUser.js';
import { showUserForm } from './showUserForm.js';
import { savePolicy } from './savePolicy.js';
import { showLog } from './showLog.js';
import { showPolicy } from './showPolicy.js';
import { showIssue } from './showIssue.js';
import { showUser } from './showUser.js';
import { showUsers } from './showUsers.js';
import { userChange } from './userChange.js';

/**
 * The admin console at /admin: server-rendered pages for the help desk and administrators. It signs people in
 * through this same provider as its own client, with security info's session, CSRF and re-authentication
 * machinery (buildPageTools), and decides what each may do with the admin API's own `authorize`
 * (CONSOLE_ACTIONS, refusalOf). Every change goes through the services the API uses, with the administrator as
 * the audit actor. One file per handler; the route table is in docs/architecture.md.
 */
export function adminRouter(deps: AdminDeps): Router {
  const t: AdminTools = { ...buildPageTools(deps, ADMIN_PAGE), deps };
  const { taps, passkeys, revoker } = deps;
  const router = new Router({ prefix: '/admin' });
  router.get('/', async (ctx) => {
    const v = await admitVisitor(t, ctx);
    if (!v) return;
    ctx.status = 303;
    ctx.redirect(adminPages(v)[0] ?? '/admin/users');
  });
  router.get('/callback', finishAccountSignIn(t));
  router.get('/users', showUsers(t));
  router.get('/audit', showLog(t, 'directory'));
  router.get('/sign-ins', showLog(t, 'signIns'));
  router.get('/policy', showPolicy(t));
  router.post('/policy', savePolicy(t));
  router.get('/users/new', showUserForm(t, 'create'));
  router.post('/users/new', saveUserForm(t, 'create'));
  router.get('/users/:id', showUser(t));
  router.get('/users/:id/edit', showUserForm(t, 'edit'));
  router.post('/users/:id/edit', saveUserForm(t, 'edit'));
  router.get('/users/:id/delete', showDeleteUser(t));
  router.post(
    '/users/:id/delete',
    userChange(t, 'deleteUser', 'userDeleted', async (u, by, _p, v) => {
      if (!deps.directory.can('delete')) throw new MethodNotAllowedError('The user directory of this deployment cannot delete users.', []);
      await deleteUser(deps, v.caller, u, by);
    }, () => '/admin/users'),
  );
  router.get('/users/:id/issue', showIssue(t));
  router.post('/users/:id/issue', issueTap(t));
  router.post('/users/:id/tap/:tapId/delete', userChange(t, 'deleteTap', 'tapDeleted', (u, by, p) => taps.delete(u, p.tapId, by)));
  router.post('/users/:id/tap/:tapId/unlock', userChange(t, 'unlockTap', 'tapUnlocked', (u, by, p) => taps.unlock(u, p.tapId!, by)));
  router.post('/users/:id/tap/:tapId/approve', userChange(t, 'approveTap', 'tapApproved', (u, by, p) => taps.approve(u, p.tapId!, by)));
  router.post(
    '/users/:id/passkeys/:passkeyId/delete',
    // Deleting a passkey ends every session obtained with it (PasskeyService.delete revokes its index).
    userChange(t, 'deletePasskey', 'passkeyDeleted', async (u, by, p) => {
      const passkey = await passkeys.get(u.id, p.passkeyId!);
      if (!passkey) throw new NotFoundError('The user has no passkey with that id.');
      await passkeys.delete(u, passkey, by);
    }),
  );
  router.post('/users/:id/revoke-sessions', userChange(t, 'revokeSessions', 'sessionsRevoked', (u, by) => revoker.revokeSignInSessions(u, by)));
  return router;
}
