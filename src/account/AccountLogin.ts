/** A security-info sign-in in progress, kept under `keys.accountLogin(state)` until the callback takes it. */
export interface AccountLogin {
  /** PKCE code verifier of the authorization request. */
  verifier: string;
  /** Why the page sent the user to sign in: shown back to them when they return. */
  reason: 'signin' | 'reauth';
  /** The page's own path to come back to, when not its home. */
  returnTo?: string;
}
