import type Provider from 'oidc-provider';
import { RequestScope } from '../store/RequestScope.js';

/**
 * The provider answers its requests itself (createApp hands it the raw request), before the scope around it ends:
 * so the saves its routes deferred (RequestScope) are sent here, once its routes are done and before koa writes
 * the response that leads the browser or client on to them.
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
