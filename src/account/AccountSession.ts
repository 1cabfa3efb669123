/** A signed-in visit to the security-info page, as kept in Redis under `keys.accountSession(id)`. */
export interface AccountSession {
  /** Random, unguessable; also the cookie's value. */
  id: string;
  /** The page it is a session of (absent in sessions from before the admin console: security info). */
  page?: 'account' | 'admin';
  accountId: string;
  /**
   * When the user last proved who they are, in ms by the product's clock (not the provider's): the
   * re-authentication rule for adding and deleting methods is judged against it.
   */
  authAt: number;
  /** How they signed in (`tap`, `hwk`, `pwd`…), from the provider. */
  amr: string[];
  /** The provider session this visit rests on; once it is gone, so is this. */
  sessionUid: string;
  /** The grant the page's sign-in created; revoked with the sign-in it came from. */
  grantId: string;
  /** Echoed by every form of the page. */
  csrf: string;
  /** Real time (ms) this session ends; never later than the provider session or its grant. */
  expiresAt: number;
}
