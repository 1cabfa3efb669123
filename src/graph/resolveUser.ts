import type { User } from '../directory/User.js';
import { NotFoundError } from '../errors.js';
import type { GraphDeps } from './GraphDeps.js';

/** The `{user}` of a path: an id or a user principal name; 404 in Graph's words when there is none. */
export async function resolveUser(deps: Pick<GraphDeps, 'directory'>, idOrUpn: string): Promise<User> {
  const user = idOrUpn.length <= 320 ? await deps.directory.find(idOrUpn) : undefined;
  if (!user) throw new NotFoundError(`Resource '${idOrUpn.slice(0, 100)}' does not exist or one of its queried reference-property objects are not present.`, undefined, 'Request_ResourceNotFound');
  return user;
}
