import type { SecurityInfoView } from '../http/views/SecurityInfoView.js';
import type { TemporaryAccessPassMethod } from '../tap/TemporaryAccessPassMethod.js';
import type { PageTime } from '../http/views/PageTime.js';
import { pageTime } from './pageTime.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';

type Parts = Array<string | PageTime>;

const REASONS: Record<string, (start: PageTime, end: PageTime) => Parts> = {
  EnabledByPolicy: (_s, end) => ['Expires ', end],
  NotYetValid: (start, end) => ['Valid from ', start, ' until ', end],
  Expired: (_s, end) => ['Expired ', end],
  OneTimeUsed: (_s, end) => ['Already used: it could be used only once (it would have expired ', end, ')'],
  LockedOut: () => ['Locked after too many wrong attempts'],
  DisabledByPolicy: () => ["Not allowed by your organisation's sign-in policy"],
};

/** The TAP as the page shows it; never its passcode (which is not stored anyway). */
export function tapView(t: TemporaryAccessPassMethod): NonNullable<SecurityInfoView['tap']> {
  const start = Date.parse(t.startDateTime);
  const end = start + t.lifetimeInMinutes * 60_000;
  return {
    id: t.id,
    kind: t.isUsableOnce ? 'One-time use' : 'Can be used more than once',
    added: pageTime(Date.parse(t.createdDateTime)),
    status: REASONS[t.methodUsabilityReason]!(pageTime(start), pageTime(end)),
    usable: t.isUsable,
    deleteAction: `${SECURITY_INFO_PATH}/tap/${encodeURIComponent(t.id)}/delete`,
  };
}
