import { createHash, timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';

/** What a page of the product (security info, the admin console) learns from its sign-in. */
export interface RedeemedSignIn {
  accountId: string;
  /** Seconds since the epoch, by the provider's (real) clock. */
  authTime: number;
  amr: string[];
  sessionUid: string;
  grantId: string;
  /** Real time (ms) at which the provider session or the grant ends, whichever is first. */
  endsAt: number;
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Redeem an authorization code of one of the product's own clients (`clientId`) in-process, with the checks the token endpoint
 * would make (client, redirect URI, PKCE S256, unused, unexpired), and consume it. Going through HTTP to our own
 * token endpoint would add a round trip and a client secret for nothing. Undefined when any check fails.
 */
export async function redeemAccountCode(provider: Provider, code: string, verifier: string, redirectUri: string, clientId: string): Promise<RedeemedSignIn | undefined> {
  if (!code || code.length > 512) return undefined;
  // Also undefined when the code's provider session is gone (codes without offline_access expire with it).
  const found = await provider.AuthorizationCode.find(code);
  if (!found || found.clientId !== clientId || found.redirectUri !== redirectUri) return undefined;
  if (!found.isValid) return undefined; // consumed or expired
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (found.codeChallengeMethod !== 'S256' || !found.codeChallenge || !sameText(found.codeChallenge, challenge)) return undefined;
  const { accountId, authTime, sessionUid, grantId } = found;
  if (!accountId || !authTime || !sessionUid || !grantId) return undefined;
  try {
    await found.consume();
  } catch {
    // Another request consumed it first (the adapter's script decides): that one wins.
    return undefined;
  }
  const [session, grant] = await Promise.all([provider.Session.findByUid(sessionUid), provider.Grant.find(grantId)]);
  if (!session || session.accountId !== accountId || !grant || grant.accountId !== accountId) return undefined;
  const ends = [session.exp, grant.exp].filter((e): e is number => typeof e === 'number');
  return {
    accountId,
    authTime,
    amr: found.amr ?? [],
    sessionUid,
    grantId,
    endsAt: ends.length ? Math.min(...ends) * 1000 : Date.now() + 3600_000,
  };
}
