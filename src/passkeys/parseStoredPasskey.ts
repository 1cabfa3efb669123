import type { Passkey } from './Passkey.js';

/**
 * A passkey as stored. Records that a sign-in or a rename rewrote before ENCODE_PASSKEY_LUA kept an empty
 * `transports` as `{}`: read as the empty list it was.
 */
export function parseStoredPasskey(raw: string): Passkey {
  const passkey = JSON.parse(raw) as Passkey;
  if (!Array.isArray(passkey.transports)) passkey.transports = [];
  return passkey;
}
