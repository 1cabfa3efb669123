/**
 * The product's errors, each with a stable code: Microsoft Graph's generic one for its kind (the admin API answers
 * a directory path's with Graph's directory codes, graphErrorCode.ts). Pages render `message`. A message here is always safe to show to the person who caused it.
 */
export class AppError extends Error {
  constructor(
    message: string,
    /** Graph error code. */
    readonly code: string,
    /** HTTP status. */
    readonly status: number,
    /**
     * What a page says instead of `message` (which stays English, for the API and the logs): a catalogue message
     * (an `i18n/MessageRef`), given where the error can reach a person's page.
     */
    readonly said?: { id: string; values?: Readonly<Record<string, string | number | Date>> },
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Invalid input: the field is named in the message. */
export class BadRequestError extends AppError {
  constructor(message: string, said?: AppError['said'], code = 'BadRequest') {
    super(message, code, 400, said);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, said?: AppError['said'], code = 'itemNotFound') {
    super(message, code, 404, said);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, said?: AppError['said']) {
    super(message, 'Authorization_RequestDenied', 403, said);
  }
}

/** No valid bearer token. */
export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super(message, 'InvalidAuthenticationToken', 401);
  }
}

/**
 * The bearer token is valid but its sign-in is too old for this change: the caller must sign the person in again
 * (RFC 9470's `insufficient_user_authentication`, with `max_age`) and retry with the new token.
 */
export class StaleSignInError extends AppError {
  constructor(readonly maxAgeSeconds: number) {
    super(
      `This change needs a sign-in within the last ${maxAgeSeconds} seconds. Sign in again (for example with max_age=${maxAgeSeconds} or prompt=login) and retry with the new token.`,
      'InvalidAuthenticationToken',
      401,
    );
  }
}

/** The request clashes with what exists (e.g. a user principal name already taken). */
export class ConflictError extends AppError {
  constructor(message: string, said?: AppError['said']) {
    super(message, 'conflict', 409, said);
  }
}

/** The resource exists but cannot do this here (a read-only directory asked to create a user): 405 with `Allow`. */
export class MethodNotAllowedError extends AppError {
  constructor(
    message: string,
    /** The methods the resource does allow (the `Allow` header). */
    readonly allow: string[],
  ) {
    super(message, 'BadRequest', 405);
  }
}

/**
 * A dependency (Redis) cannot answer right now: 503, and the client may try again in a moment. Nothing about the
 * request is wrong, so the message says only that.
 */
export class ServiceUnavailableError extends AppError {
  constructor(message = 'The service is briefly unavailable. Try again in a moment.') {
    super(message, 'serviceNotAvailable', 503, { id: 'error.unavailable.message' });
  }
}

/** A rate limit (option `rateLimits`) refused the request; answered 429 with `Retry-After`. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    /** Seconds until the request would be allowed again. */
    readonly retryAfterSeconds: number,
  ) {
    super(message, 'TooManyRequests', 429);
  }
}

/** A configuration or environment problem found at start-up; printed as one line. */
export class ConfigError extends Error {
  constructor(readonly field: string, readonly problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'ConfigError';
  }
}
