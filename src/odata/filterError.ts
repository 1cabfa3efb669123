import { BadRequestError } from '../errors.js';

/** A `$filter` that does not parse or names what the resource lacks: Graph's `BadRequest`, saying what and where. */
export function filterError(message: string): never {
  throw new BadRequestError(`Invalid $filter: ${message}`);
}
