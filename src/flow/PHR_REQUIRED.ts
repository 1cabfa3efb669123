import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** Said when a client demands a phishing-resistant sign-in and the person chose another way. */
export const PHR_REQUIRED: MessageRef = msg('signIn.error.phrRequired');
