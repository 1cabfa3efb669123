import type { Schema } from '../Schema.js';

/** A reference to a named schema of schemas.ts. */
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** An error response: Graph's envelope. */
export const err = (description: string) => ({ description, schema: ref('Error') });
