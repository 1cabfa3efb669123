import type { PageTools } from '../account/PageTools.js';
import type { AdminDeps } from './AdminDeps.js';

/** What the console's handlers share, built once by adminRouter. */
export interface AdminTools extends PageTools {
  deps: AdminDeps;
}
