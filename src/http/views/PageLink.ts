import type { Text } from '../../i18n/Text.js';
/** A link a page offers as its way on. */
export interface PageLink {
  href: string;
  label: Text;
}
