import { DELEGATED_PERMISSIONS } from '../config/AppConfig.js';

/** The admin API as an OAuth resource: the audience of its access tokens. */
export const graphResource = (issuer: string) => `${issuer.replace(/\/$/, '')}/v1.0`;

/** Scope values that name the admin API's permissions (a token for them is a token for the API). */
export function graphScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((s) => (DELEGATED_PERMISSIONS as readonly string[]).includes(s));
}
