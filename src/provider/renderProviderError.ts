import type { Configuration } from 'oidc-provider';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';

type RenderError = NonNullable<Configuration['renderError']>;

/** oidc-provider errors that cannot go back to the relying party are shown as a readable page. */
export const renderProviderError: RenderError = async (ctx, out) => {
  await renderView(ctx, 'message', {
    title: msg('error.signInProblem'),
    heading: msg('error.provider.heading'),
    // oidc-provider's description is English protocol text; shown as it is until every error has a message of ours.
    message: out.error_description ?? out.error ? { verbatim: String(out.error_description ?? out.error) } : msg('error.provider.invalidRequest'),
    link: null,
  }, ctx.status >= 400 ? ctx.status : 400);
};
