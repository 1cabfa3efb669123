import type { User } from '../directory/User.js';
import { authorize, type Right } from './authorize.js';
import type { OperationInput } from './Operation.js';
import { resolveUser } from './resolveUser.js';

/**
 * The `{user}` of the path, once the caller may do `right` to them. Whether the caller may do it to anyone at all
 * is decided before the user is looked up, so that a caller without the right gets the same 403 for a user who
 * exists and for one who does not; only a caller who has it learns 404, and then meets the limits that depend
 * on whom they act on.
 */
export async function authorizedUser(input: OperationInput, right: Right, opts: { creatingTap?: boolean } = {}): Promise<User> {
  authorize(input.caller, right);
  const user = await resolveUser(input.deps, input.params.user!);
  authorize(input.caller, right, user, opts.creatingTap);
  return user;
}
