import type { Text } from '../../i18n/Text.js';
/** views/consent.ejs: the admin API permissions a client asks for, in words; or a device's sign-in to allow. */
export interface ConsentView {
  title: Text;
  username: string;
  clientName: string;
  action: string;
  permissions: { name: string; words: Text }[];
  /** A device's sign-in (device authorization grant): the page asks to allow the app on that device. */
  device: boolean;
}
