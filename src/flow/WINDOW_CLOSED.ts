import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** A one-time TAP's registration window has passed. */
export const WINDOW_CLOSED: MessageRef = msg('register.error.windowClosed');
