import type { DirectoryCapability } from '../directory/Users.js';
import { MethodNotAllowedError } from '../errors.js';
import type { GraphDeps } from './GraphDeps.js';

/** The methods of the two user paths, each with the capability it needs (none: the lookups every directory has). */
const PATHS: Record<'users' | 'user', [string, DirectoryCapability | undefined][]> = {
  users: [['GET', 'list'], ['POST', 'create']],
  user: [['GET', undefined], ['PATCH', 'update'], ['DELETE', 'delete']],
};

const WHAT: Record<DirectoryCapability, string> = { list: 'list', create: 'create', update: 'change', delete: 'delete' };

/**
 * A user operation the directory cannot do (a host's read-only directory asked to create a user) is refused with
 * 405 before anything is read or written; `Allow` names what the path can still do with this directory.
 */
export function requireCapability(deps: GraphDeps, capability: DirectoryCapability, path: keyof typeof PATHS): void {
  if (deps.directory.can(capability)) return;
  const allow = PATHS[path].filter(([, needs]) => !needs || deps.directory.can(needs)).map(([method]) => method);
  throw new MethodNotAllowedError(
    `The user directory of this deployment cannot ${WHAT[capability]} users: they are managed where the directory lives, not through this API.`,
    allow,
  );
}
