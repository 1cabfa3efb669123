import type { Text } from '../../i18n/Text.js';
import type { AdminNav } from './AdminNav.js';

/** views/admin-delete.ejs: what deleting a user ends, spelled out, before the person confirms. */
export interface AdminDeleteView {
  title: Text;
  nav: AdminNav;
  user: { displayName: string; userPrincipalName: string; href: string };
  action: string;
  passkeys: number;
  hasTap: boolean;
}
