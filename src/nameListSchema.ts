import { Type } from '@sinclair/typebox';

const NON_EMPTY = 'must be a non-empty string';

/**
 * A config list of names (roles, groups, permissions), each non-empty and, when `allowed` is given, one of them;
 * absent is empty. Its messages are checkSchema's one-liners.
 */
export function nameListSchema<T extends string>(allowed?: readonly T[]) {
  const item = allowed
    ? Type.Unsafe<T>({ type: 'string', minLength: 1, enum: allowed, errorMessage: { enum: `{value} is not one of ${allowed.join(', ')}`, '*': NON_EMPTY } })
    : Type.Unsafe<T>({ type: 'string', minLength: 1, errorMessage: NON_EMPTY });
  return Type.Array(item, { default: [], errorMessage: 'must be an array of strings' });
}
