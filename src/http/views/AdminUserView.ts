import type { Text } from '../../i18n/Text.js';
import type { AdminNav } from './AdminNav.js';

/** A button of the user's page: a POST form to `action`, named `label` (e.g. `Delete Temporary Access Pass`). */
export interface AdminAction {
  action: string;
  label: Text;
}

/** views/admin-user.ejs: one user, their groups, roles and authentication methods, and what the viewer may do. */
export interface AdminUserView {
  title: Text;
  nav: AdminNav;
  user: { id: string; displayName: string; userPrincipalName: string; userType: string; enabled: boolean; created: number; roles: Text[]; groups: string[] };
  /** Why the viewer may not see this user's methods, when they may see the user but not those. */
  methodsRefusal: Text | null;
  password: boolean;
  tap: {
    start: number;
    end: number;
    once: boolean;
    usable: boolean;
    /** Usable, or why not (methodUsabilityReason in words). */
    status: Text;
    failures: number;
    locked: boolean;
    /** Pending under the two-person rule: who asked for it. */
    requestedBy: string | null;
    delete: AdminAction | null;
    unlock: AdminAction | null;
    approve: AdminAction | null;
    /** Shown instead of Approve to the administrator who issued it. */
    approveRefusal: Text | null;
  } | null;
  passkeys: { name: string; model: string; synced: boolean; created: number; lastUsed: number | null; delete: AdminAction | null }[];
  /** A GET form to the issue page, when the viewer may issue one; else why not. */
  issueHref: string | null;
  issueRefusal: Text | null;
  revoke: AdminAction | null;
  /** The viewer's role changes no user's methods (a reader). */
  readOnly: boolean;
  /** HR: edit, disable/enable and delete, when the role allows it. */
  editHref: string | null;
}
