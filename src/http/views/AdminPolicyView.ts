import type { Text } from '../../i18n/Text.js';
import type { AdminNav } from './AdminNav.js';

/** views/admin-policy.ejs: the TAP policy's fields with their ranges; a form when the role may change it. */
export interface AdminPolicyView {
  title: Text;
  nav: AdminNav;
  editable: boolean;
  action: string;
  fields: { name: string; label: Text; kind: 'integer' | 'boolean' | 'state'; value: string; min?: number; max?: number; hint: Text }[];
}
