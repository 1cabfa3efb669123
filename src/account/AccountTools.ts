import type { AccountRouterDeps } from './AccountRouterDeps.js';
import type { PageTools } from './PageTools.js';

/** What the security-info page's handlers share, built once by accountRouter. */
export interface AccountTools extends PageTools {
  deps: AccountRouterDeps;
}
