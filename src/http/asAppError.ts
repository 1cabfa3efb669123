import { AppError, ServiceUnavailableError } from '../errors.js';
import { isRedisUnavailable } from '../store/isRedisUnavailable.js';

/**
 * The one place where a thrown error becomes an answer: the product's own errors as they are, a Redis outage as
 * 503 `serviceNotAvailable`, anything else undefined (a bug: logged, answered 500 without details).
 */
export function asAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (isRedisUnavailable(err)) return new ServiceUnavailableError();
  return undefined;
}
