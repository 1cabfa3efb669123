import type { Static } from '@sinclair/typebox';
import type { SecurityEventsSchema } from './SecurityEventsSchema.js';

/**
 * Where Security Event Tokens are pushed, validated and with defaults applied (each setting is described in
 * SecurityEventsSchema). Delivery is in the background, retried with exponential backoff.
 */
export type SecurityEventsConfig = Required<Static<typeof SecurityEventsSchema>>;
