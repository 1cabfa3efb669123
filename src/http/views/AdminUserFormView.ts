import type { Text } from '../../i18n/Text.js';
import type { AdminNav } from './AdminNav.js';

/** views/admin-user-form.ejs: HR's form to create a user, or to change one's display name, groups and whether they may sign in. */
export interface AdminUserFormView {
  title: Text;
  nav: AdminNav;
  heading: Text;
  action: string;
  /** Creating: the user principal name is asked for; editing: it is shown. */
  creating: boolean;
  values: { userPrincipalName: string; displayName: string; groups: string; enabled: boolean };
  back: string;
  /** Editing: the address of the page that deletes the user, when the role allows it. */
  deleteHref: string | null;
}
