/** Skipping was asked for where it is not allowed. */
export const MUST_REGISTER = 'Register a passkey to continue. You can only skip this while your Temporary Access Pass can still be used again.';
