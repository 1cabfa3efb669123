import type { Configuration } from 'oidc-provider';
import { renderView } from '../http/renderView.js';

type RenderError = NonNullable<Configuration['renderError']>;

/** oidc-provider errors that cannot go back to the relying party are shown as a readable page. */
export const renderProviderError: RenderError = async (ctx, out) => {
  await renderView(ctx, 'message', {
    title: 'Sign-in problem',
    heading: 'We could not sign you in',
    message: String(out.error_description ?? out.error ?? 'The request was not valid.'),
    link: null,
  }, ctx.status >= 400 ? ctx.status : 400);
};
