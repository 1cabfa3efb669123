import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** Skipping was asked for where it is not allowed. */
export const MUST_REGISTER: MessageRef = msg('register.error.mustRegister');
