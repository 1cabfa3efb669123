import type Provider from 'oidc-provider';
import { RequestScope } from '../store/RequestScope.js';

/**
 * Behind a host's own Koa application (README, "Using it as a plugin") the provider answers its requests itself,
 * from the raw request, before the scope around it ends: so the saves its routes deferred (RequestScope) are sent
 * here, once its routes are done and before koa writes the response that leads the browser or client on to them.
 * In the standalone server (createApp) the chain runs in the provider's application, and this flush merely comes
 * a little before the scope's own.
 */
export function flushBeforeResponse(provider: Provider): void {
  provider.use(async (_ctx, next) => {
    try {
      await next();
    } finally {
      await RequestScope.current()?.flush();
    }
  });
}
