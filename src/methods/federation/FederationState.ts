/** A federated sign-in in progress, kept under `keys.federationState(state)` until the return takes it. */
export interface FederationState {
  /** The oidc-provider interaction the sign-in belongs to: the upstream's answer may finish only that one. */
  interactionId: string;
  /** The federated domain (lower case) whose provider the user was sent to. */
  domain: string;
  /** The identifier the user gave; the upstream must vouch for this same UPN. */
  username: string;
  /** Expected in the upstream's ID token, so that a token minted for another request is refused. */
  nonce: string;
  /** PKCE code verifier of the upstream authorization request. */
  verifier: string;
}
