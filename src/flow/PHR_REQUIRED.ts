/** Said when a client demands a phishing-resistant sign-in and the person chose another way. */
export const PHR_REQUIRED = 'This application requires you to sign in with a passkey.';
