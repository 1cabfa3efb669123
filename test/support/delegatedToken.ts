import type * as client from 'openid-client';
import { redeem, signIn } from './rp.js';

/** A delegated admin API token: the user signs in with a password through the normal flow, asking for `scope`. */
export async function delegatedToken(rp: client.Configuration, upn: string, password: string, scope: string): Promise<string> {
  // prompt=login, as admin tools send it: the API's scopes must not cost a second round of prompts.
  const flow = await signIn(rp, upn, { password }, { scope: `openid ${scope}`, prompt: 'login' });
  return (await redeem(rp, flow)).access_token;
}
