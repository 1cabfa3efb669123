import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/**
 * Said only after the right credential (or the upstream's word), never at the identifier: before it, a disabled
 * account answers as any other, so a guesser learns nothing (docs/architecture.md, "No enumeration").
 */
export const ACCOUNT_DISABLED: MessageRef = msg('accountDisabled.message');
