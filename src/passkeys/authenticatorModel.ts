import models from './aaguids.json' with { type: 'json' };

const byAaguid: Readonly<Record<string, string>> = models;

/**
 * The authenticator's model ("iCloud Keychain", "YubiKey 5 Series") for an AAGUID, from the list in aaguids.json
 * (written by `npm run aaguids`); undefined for an AAGUID the list does not name, and for the all-zero one that
 * authenticators send when they do not say.
 */
export function authenticatorModel(aaguid: string): string | undefined {
  const key = aaguid.toLowerCase();
  return Object.hasOwn(byAaguid, key) ? byAaguid[key] : undefined;
}
