/** views/select-account.ejs: the account picker of `prompt=select_account`, for a browser already signed in. */
export interface SelectAccountView {
  title: string;
  clientName: string;
  /** The signed-in account's UPN and name. */
  username: string;
  displayName: string;
  action: string;
}
