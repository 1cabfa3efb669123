import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** What the page says after a redirect (`?done=`): fixed messages, so nothing from the URL is ever echoed. */
export const NOTICES = {
  reauth: msg('securityInfo.notice.reauth'),
  added: msg('securityInfo.notice.added'),
  renamed: msg('securityInfo.notice.renamed'),
  deleted: msg('securityInfo.notice.deleted'),
  'tap-deleted': msg('securityInfo.notice.tapDeleted'),
} as const satisfies Record<string, MessageRef>;
