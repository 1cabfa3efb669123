/** A user's page in the console. */
export const userPath = (u: { id: string }): string => `/admin/users/${encodeURIComponent(u.id)}`;
