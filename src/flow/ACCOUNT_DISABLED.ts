/**
 * Said only after the right credential (or the upstream's word), never at the identifier: before it, a disabled
 * account answers as any other, so a guesser learns nothing (docs/architecture.md, "No enumeration").
 */
export const ACCOUNT_DISABLED = 'Your account is disabled. Contact your help desk.';
