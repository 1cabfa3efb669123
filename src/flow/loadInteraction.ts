import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { renderView } from '../http/renderView.js';
import { isRedisUnavailable } from '../store/isRedisUnavailable.js';
import type { Details } from './LoginCompleter.js';
import { msg } from '../i18n/msg.js';
import { useUiLocales } from '../http/useUiLocales.js';

const EXPIRED = {
  title: msg('expired.title'),
  heading: msg('expired.heading'),
  message: msg('expired.message'),
  link: null,
};

/**
 * The interaction of `ctx.params.uid`, checked against the browser's interaction cookie. A missing, expired or
 * foreign one gets a readable page (and undefined), never an error dump. The pages of a found one speak its
 * `ui_locales`. A Redis that cannot answer is not an expired sign-in: that error goes on, to be answered 503 (the
 * same sign-in works again once Redis is back).
 */
export async function loadInteraction(provider: Provider, ctx: Context): Promise<Details | undefined> {
  try {
    const d = await provider.interactionDetails(ctx.req, ctx.res);
    if (d.uid === ctx.params.uid) {
      // Every page of this sign-in speaks the language its application asked for.
      useUiLocales(ctx, d.params.ui_locales);
      return d;
    }
  } catch (err) {
    // No or an expired interaction cookie, or no such interaction in Redis: expired. An outage: 503.
    if (isRedisUnavailable(err)) throw err;
  }
  await renderView(ctx, 'message', EXPIRED, 400);
  return undefined;
}

/** The client asked for a phishing-resistant sign-in (`acr_values=phr`). */
export function requiresPhr(d: Details): boolean {
  return typeof d.params.acr_values === 'string' && d.params.acr_values.split(' ').includes('phr');
}

export async function clientName(provider: Provider, d: Details): Promise<string> {
  const client = await provider.Client.find(String(d.params.client_id));
  return (client?.clientName as string | undefined) ?? String(d.params.client_id);
}
