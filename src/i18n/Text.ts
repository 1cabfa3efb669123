import type { MessageRef } from './MessageRef.js';

/**
 * Words a view shows: a catalogue message (ours), or `{ verbatim }`, text that is already final (what someone else
 * wrote: an upstream provider's error description). Never a bare string, so the compiler finds any English left
 * in code. Views show either with `say(text)`.
 */
export type Text = MessageRef | { verbatim: string };
