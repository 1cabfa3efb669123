import { REDIRECT_URI } from './testServer.js';

/**
 * The TAP was accepted: the flow went on to the relying party's callback or, as a TAP sign-in goes on to passkey
 * registration first, to the registration step of the interaction.
 */
export function tapAccepted(r: { url: string }): boolean {
  return r.url.startsWith(REDIRECT_URI) || /^\/interaction\/[^/]+\/register$/.test(new URL(r.url).pathname);
}
