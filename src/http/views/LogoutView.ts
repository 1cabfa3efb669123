/** views/logout.ejs: confirm signing out. */
export interface LogoutView {
  /** oidc-provider's own form (its action and one-time xsrf value), inserted as HTML. */
  form: string;
  clientName: string | null;
}
