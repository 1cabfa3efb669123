import type { MessageRef } from './MessageRef.js';

/** `msg('tap.error.invalid')`, `msg('device.tooMany', { seconds: 30 })`: a message to show, by id. */
export function msg(id: string, values?: MessageRef['values']): MessageRef {
  return values ? { id, values } : { id };
}
