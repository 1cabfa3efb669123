import type { User } from '../directory/User.js';
import { ForbiddenError } from '../errors.js';
import { authorize } from '../graph/authorize.js';
import type { Caller } from '../graph/Caller.js';
import type { Text } from '../i18n/Text.js';
import { CONSOLE_ACTIONS } from './CONSOLE_ACTIONS.js';

/**
 * Why `caller` may not do `action` (to `target`, or to anyone when there is none), or undefined when they may:
 * the admin API's decision, in the page's language (the error's catalogue message).
 */
export function refusalOf(caller: Caller, action: keyof typeof CONSOLE_ACTIONS, target?: User): Text | undefined {
  const a: { right: Parameters<typeof authorize>[1]; creatingTap?: boolean } = CONSOLE_ACTIONS[action];
  try {
    authorize(caller, a.right, target, a.creatingTap ?? false);
    return undefined;
  } catch (err) {
    if (err instanceof ForbiddenError) return err.said ?? { verbatim: err.message };
    throw err;
  }
}
