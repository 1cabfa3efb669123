import type { Configuration } from 'oidc-provider';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';

type RenderError = NonNullable<Configuration['renderError']>;

/** The OAuth errors that reach a person (they cannot go back to the application), each with words of ours. */
const EXPLAINED = new Set(['invalid_client', 'invalid_redirect_uri', 'invalid_request', 'unauthorized_client', 'unsupported_response_type', 'invalid_scope']);

/**
 * oidc-provider errors that cannot go back to the relying party are shown as a readable page, in the person's
 * language: what happened in plain words (by OAuth error code), not the provider's English protocol text.
 */
export const renderProviderError: RenderError = async (ctx, out) => {
  const code = String(out.error ?? '');
  await renderView(ctx, 'message', {
    title: msg('error.signInProblem'),
    heading: msg('error.provider.heading'),
    message: msg(EXPLAINED.has(code) ? `error.provider.${code}` : 'error.provider.invalidRequest'),
    link: null,
    help: true,
  }, ctx.status >= 400 ? ctx.status : 400);
};
