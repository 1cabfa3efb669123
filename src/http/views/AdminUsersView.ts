import type { Text } from '../../i18n/Text.js';
import type { AdminNav } from './AdminNav.js';

/** views/admin-users.ejs: search users by name or user principal name, a page at a time. */
export interface AdminUsersView {
  title: Text;
  nav: AdminNav;
  query: string;
  users: { href: string; displayName: string; userPrincipalName: string; enabled: boolean; roles: Text[] }[];
  /** The next page's address, if there is one. */
  nextHref: string | null;
  /** The directory cannot list users (a host's lookups-only directory): only an exact name or id is found. */
  lookupOnly: boolean;
  /** HR: the address of the form that creates a user, when the role allows it. */
  createHref: string | null;
}
