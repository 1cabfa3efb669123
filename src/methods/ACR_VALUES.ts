/** Authentication context classes, weakest first: password, multi-factor (a TAP), phishing-resistant. */
export const ACR_VALUES = ['pwd', 'mfa', 'phr'];
