import Router from '@koa/router';
import type { AccountRouterDeps } from './AccountRouterDeps.js';
import type { AccountTools } from './AccountTools.js';
import { addPasskey } from './addPasskey.js';
import { confirmDeletePasskey } from './confirmDeletePasskey.js';
import { confirmDeleteTap } from './confirmDeleteTap.js';
import { deletePasskey } from './deletePasskey.js';
import { deleteTap } from './deleteTap.js';
import { finishAccountSignIn } from './finishAccountSignIn.js';
import { buildPageTools } from './buildPageTools.js';
import { renamePasskey } from './renamePasskey.js';
import { SECURITY_INFO_PAGE } from './SECURITY_INFO_PAGE.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';
import { showSecurityInfoPage } from './showSecurityInfoPage.js';

// Kept importable from here, where the tests have always found it.
export { LAST_METHOD } from './LAST_METHOD.js';

/**
 * The security-info page: the signed-in user's own sign-in methods. It signs the user in through this same
 * provider (AccountSignIn: authorization code + PKCE as its own client), keeps a short session of its own
 * (AccountSessions, AccountCookies), and asks for a recent sign-in before any change (AccountGate). One file per
 * handler; the route table is in docs/architecture.md.
 */
export function accountRouter(deps: AccountRouterDeps): Router {
  const t: AccountTools = { ...buildPageTools(deps, SECURITY_INFO_PAGE), deps };

  const router = new Router({ prefix: '/account' });
  router.get('/', (ctx) => {
    ctx.redirect(SECURITY_INFO_PATH);
  });
  router.get('/security-info', showSecurityInfoPage(t));
  router.get('/callback', finishAccountSignIn(t));
  router.post('/security-info/passkeys', addPasskey(t));
  router.post('/security-info/passkeys/:id/rename', renamePasskey(t));
  router.get('/security-info/passkeys/:id/delete', confirmDeletePasskey(t));
  router.post('/security-info/passkeys/:id/delete', deletePasskey(t));
  router.get('/security-info/tap/:id/delete', confirmDeleteTap(t));
  router.post('/security-info/tap/:id/delete', deleteTap(t));
  return router;
}
