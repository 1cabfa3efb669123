import type { DelegatedPermission } from '../config/AppConfig.js';

/**
 * What each admin API permission lets an application do, in words a person can judge on the consent page (on
 * behalf of the signed-in person, so always within what their own role allows). The OpenAPI document shows the
 * same words.
 */
export const permissionWords: Readonly<Record<DelegatedPermission, string>> = {
  'UserAuthMethod-TAP.ReadWrite.All': 'Create, read and delete Temporary Access Passes and other sign-in methods of the users you manage',
  'UserAuthMethod-TAP.Read.All': 'Read the Temporary Access Passes and other sign-in methods of the users you manage',
  'Policy.ReadWrite.AuthenticationMethod': 'Change the Temporary Access Pass policy',
  'Policy.Read.All': 'Read the Temporary Access Pass policy',
  'User.ReadWrite.All': 'Create, change and delete users, and sign them out everywhere',
  'AuditLog.Read.All': 'Read the audit and sign-in logs',
  'UserAuthenticationMethod.Read': 'Read your own sign-in methods',
  'UserAuthenticationMethod.ReadWrite': 'Read and delete your own sign-in methods',
};
