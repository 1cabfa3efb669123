import * as client from 'openid-client';

/**
 * The relying party's side of one sign-in in a real browser: the URL to send it to (an authorization code + PKCE
 * request to `redirectUri`, which the browser can reach), and how to redeem the callback it arrives at.
 */
export async function browserAuthorization(rp: client.Configuration, redirectUri: string, params: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: redirectUri,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  }).href;
  return {
    url,
    redeem: (callback: string) => client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state }),
  };
}
