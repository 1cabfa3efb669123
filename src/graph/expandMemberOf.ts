import type { User } from '../directory/User.js';
import { BadRequestError } from '../errors.js';
import { toMemberOf } from './toMemberOf.js';

/** `$expand` on a user: `memberOf` is the one navigation this API has; anything else is refused as Graph does. */
export function expandMemberOf(expand: string | undefined): ((u: User) => Record<string, unknown>[]) | undefined {
  if (expand === undefined) return undefined;
  for (const e of expand.split(',').map((x) => x.trim())) {
    if (e.toLowerCase() !== 'memberof') throw new BadRequestError(`Could not find a property named '${e.slice(0, 100)}' on type 'microsoft.graph.user'.`, undefined, 'Request_BadRequest');
  }
  return toMemberOf;
}
