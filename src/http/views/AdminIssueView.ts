import type { Text } from '../../i18n/Text.js';
import type { AdminNav } from './AdminNav.js';

/** views/admin-issue.ejs: the form that issues a TAP, or (once issued) its passcode, shown this once. */
export interface AdminIssueView {
  title: Text;
  nav: AdminNav;
  user: { displayName: string; userPrincipalName: string; href: string };
  action: string;
  /** A fresh single-use token of this form: a resent POST (a reload) issues nothing a second time. */
  nonce: string;
  policy: { min: number; max: number; default: number; onceRequired: boolean; onceDefault: boolean };
  values: { lifetime: string; start: string; once: boolean };
  /** The user has a TAP already, which a new one replaces. */
  replaces: boolean;
  /** The user holds an administrative role: the new TAP will wait for a second administrator's approval. */
  needsApproval: boolean;
  /** Once issued: the passcode and its window. Never rendered again. */
  issued: { passcode: string; start: number; end: number; once: boolean; pending: boolean } | null;
}
