import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** Why the last passkey of a user with no other way in is kept. */
export const LAST_METHOD: MessageRef = msg('securityInfo.error.lastMethod');
