import type { Context } from 'koa';
import type { AuthMethod } from '../methods/AuthMethod.js';
import type { RateLimiter } from '../ratelimit/RateLimiter.js';
import { msg } from '../i18n/msg.js';
import type { MessageRef } from '../i18n/MessageRef.js';

/**
 * Take this post from the rate limits of its address and of the account it names; when one is spent, say so
 * (429, `Retry-After`) and return the message for the step's page. The same for every typed name, known or not.
 */
export async function throttleSignIn(limiter: RateLimiter, ctx: Context, username: string, method?: AuthMethod): Promise<MessageRef | undefined> {
  const r = await limiter.take(
    ['signInPerAddress', ctx.ip],
    ...(method?.addressLimit ? [[method.addressLimit, ctx.ip] as const] : []),
    ...(username ? [['signInPerAccount', username.toLowerCase()] as const] : []),
  );
  if (r.ok) return undefined;
  ctx.set('Retry-After', String(r.retryAfterSeconds));
  return msg(r.limit === 'signInPerAccount' ? 'signIn.error.tooManyForAccount' : 'signIn.error.tooManyFromNetwork', { seconds: r.retryAfterSeconds });
}
