// @ts-check
/** @import { DirectoryUser, UserDirectory } from 'oidc-tap' */

/**
 * The host's own user store, a `people` table in SQLite, seen by oidc-tap through the two lookups of its
 * `UserDirectory` contract. The host's id becomes the ID token's `sub`; oidc-tap keeps only TAPs, passkeys and
 * sessions (in Redis) and never writes here: without `list`/`create`/`update`/`delete` the admin API is read-only
 * for users.
 * @implements {UserDirectory}
 */
export class SqliteDirectory {
  /** @param {import('node:sqlite').DatabaseSync} db */
  constructor(db) {
    this.byEmail = db.prepare('SELECT id, email, name, department FROM people WHERE email = ? COLLATE NOCASE');
    this.byId = db.prepare('SELECT id, email, name, department FROM people WHERE id = ?');
  }

  /** @param {string} upn */
  async findByUpn(upn) {
    return toUser(this.byEmail.get(upn));
  }

  /** @param {string} id */
  async findById(id) {
    return toUser(this.byId.get(id));
  }
}

/**
 * @param {Record<string, unknown> | undefined} row
 * @returns {DirectoryUser | undefined}
 */
function toUser(row) {
  if (!row) return undefined;
  return {
    id: String(row.id),
    userPrincipalName: String(row.email),
    displayName: String(row.name),
    groups: row.department ? [String(row.department)] : [],
    claims: { email: String(row.email), email_verified: true },
  };
}
