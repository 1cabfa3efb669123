/** What a session or grant was obtained with: a TAP or a passkey (by credential id), whose deletion ends it. */
export type SignInLink = { accountId: string; tapId: string } | { accountId: string; passkeyId: string };

/**
 * Sessions about to be stored, by id, mapped to the TAP or passkey they were obtained with: filled synchronously
 * by the session lifetime (provider/lifetimes.ts) just before oidc-provider saves the session, read once by the
 * adapter, which indexes the session under it. One per provider (the plugin owns it), so two providers in one
 * process never see each other's sessions.
 */
export type TapSessionLinks = Map<string, SignInLink>;
