import type { Text } from '../../i18n/Text.js';
/** views/select-account.ejs: the account picker of `prompt=select_account`, for a browser already signed in. */
export interface SelectAccountView {
  title: Text;
  clientName: string;
  /** The signed-in account's UPN and name. */
  username: string;
  displayName: string;
  action: string;
}
