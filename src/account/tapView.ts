import type { SecurityInfoView } from '../http/views/SecurityInfoView.js';
import type { TemporaryAccessPassMethod } from '../tap/TemporaryAccessPassMethod.js';
import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';

/** The message for each usability reason; every one may name `start` and `end`. */
const REASONS: Record<string, string> = {
  EnabledByPolicy: 'securityInfo.tap.status.expires',
  NotYetValid: 'securityInfo.tap.status.notYetValid',
  Expired: 'securityInfo.tap.status.expired',
  OneTimeUsed: 'securityInfo.tap.status.used',
  LockedOut: 'securityInfo.tap.status.locked',
  DisabledByPolicy: 'securityInfo.tap.status.disabled',
};
const status = (reason: string, start: number, end: number): MessageRef => msg(REASONS[reason]!, { start: new Date(start), end: new Date(end) });

/** The TAP as the page shows it; never its passcode (which is not stored anyway). */
export function tapView(t: TemporaryAccessPassMethod): NonNullable<SecurityInfoView['tap']> {
  const start = Date.parse(t.startDateTime);
  const end = start + t.lifetimeInMinutes * 60_000;
  return {
    id: t.id,
    once: t.isUsableOnce,
    addedAt: Date.parse(t.createdDateTime),
    status: status(t.methodUsabilityReason, start, end),
    usable: t.isUsable,
    deleteAction: `${SECURITY_INFO_PATH}/tap/${encodeURIComponent(t.id)}/delete`,
  };
}
