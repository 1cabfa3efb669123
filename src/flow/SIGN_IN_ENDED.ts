import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** The TAP this sign-in began with was deleted, replaced or ran out, or the account's sessions were revoked. */
export const SIGN_IN_ENDED: MessageRef = msg('signInEnded.message');
