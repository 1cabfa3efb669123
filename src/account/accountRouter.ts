import Router from '@koa/router';
import { AccountCookies } from './AccountCookies.js';
import { AccountGate } from './AccountGate.js';
import type { AccountRouterDeps } from './AccountRouterDeps.js';
import { AccountSessions } from './AccountSessions.js';
import { AccountSignIn } from './AccountSignIn.js';
import type { AccountTools } from './AccountTools.js';
import { addPasskey } from './addPasskey.js';
import { confirmDeletePasskey } from './confirmDeletePasskey.js';
import { confirmDeleteTap } from './confirmDeleteTap.js';
import { deletePasskey } from './deletePasskey.js';
import { deleteTap } from './deleteTap.js';
import { finishAccountSignIn } from './finishAccountSignIn.js';
import { renamePasskey } from './renamePasskey.js';
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
  const issuer = deps.issuer.replace(/\/+$/, '');
  const sessions = new AccountSessions(deps.redis, deps.provider, deps.clock, deps.reauthenticationMaxAgeSeconds * 1000);
  const cookies = new AccountCookies(new URL(issuer).protocol === 'https:');
  const signIn = new AccountSignIn(deps.provider, issuer, sessions, cookies);
  const gate = new AccountGate(deps.directory, sessions, cookies, signIn, deps.log);
  const t: AccountTools = { deps, sessions, cookies, signIn, gate };

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
