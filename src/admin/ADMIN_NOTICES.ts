import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** What a console page says after a redirect (`?done=`): fixed messages, so nothing from the URL is ever echoed. */
export const ADMIN_NOTICES = {
  reauth: msg('admin.notice.reauth'),
  tapDeleted: msg('admin.notice.tapDeleted'),
  tapUnlocked: msg('admin.notice.tapUnlocked'),
  tapApproved: msg('admin.notice.tapApproved'),
  passkeyDeleted: msg('admin.notice.passkeyDeleted'),
  sessionsRevoked: msg('admin.notice.sessionsRevoked'),
  policySaved: msg('admin.notice.policySaved'),
  formUsed: msg('admin.notice.formUsed'),
  userCreated: msg('admin.notice.userCreated'),
  userSaved: msg('admin.notice.userSaved'),
  userDeleted: msg('admin.notice.userDeleted'),
} as const satisfies Record<string, MessageRef>;
