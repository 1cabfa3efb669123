import type { Text } from '../../i18n/Text.js';
import type { AdminNav } from './AdminNav.js';

/** views/admin-log.ejs: the audit log or the sign-in log, filtered, a page at a time. */
export interface AdminLogView {
  title: Text;
  nav: AdminNav;
  heading: Text;
  /** The filter form's values, as given. */
  filter: { user: string; activity: string; result: string; from: string; to: string };
  activities: { value: string; label: string }[];
  rows: { at: number; activity: string; result: string; success: boolean; detail: string; actor: string; user: { label: string; href: string | null } }[];
  nextHref: string | null;
}
