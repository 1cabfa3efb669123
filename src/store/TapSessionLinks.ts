/**
 * Sessions about to be stored, by id, mapped to the TAP they were obtained with: filled synchronously by the
 * session lifetime (provider/lifetimes.ts) just before oidc-provider saves the session, read once by the adapter,
 * which indexes the session under its TAP. One per provider (the plugin owns it), so two providers in one process
 * never see each other's sessions.
 */
export type TapSessionLinks = Map<string, { accountId: string; tapId: string }>;
