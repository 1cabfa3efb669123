import type { Static } from '@sinclair/typebox';
import type { RateLimitsSchema } from './RateLimitsSchema.js';

/** The configured rate limits; each is described, with its default, in RateLimitsSchema. */
export type RateLimits = Static<typeof RateLimitsSchema>;
