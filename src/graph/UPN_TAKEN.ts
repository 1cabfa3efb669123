/** Graph's words (with its code Request_BadRequest) for a user principal name another user holds. */
export const UPN_TAKEN = 'Another object with the same value for property userPrincipalName already exists.';
