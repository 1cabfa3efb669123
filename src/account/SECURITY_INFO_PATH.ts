/** The security-info page; every change redirects back to it. */
export const SECURITY_INFO_PATH = '/account/security-info';
