import type { Text } from '../../i18n/Text.js';

/** The console's header on every page: who is signed in, and the pages their role opens. */
export interface AdminNav {
  /** The signed-in administrator's user principal name. */
  username: string;
  /** Their roles, as the catalogue names them. */
  roles: Text[];
  links: { href: string; label: Text; current: boolean }[];
  /** Echoed by every form of the page. */
  csrf: string;
  /** A fixed notice after a change (`?done=`), or an error of the change refused. */
  notice: Text | null;
  error: Text | null;
}
