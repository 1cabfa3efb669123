import { Catalogue } from '../../src/i18n/Catalogue.js';
import type { MessageRef } from '../../src/i18n/MessageRef.js';

const en = Catalogue.load().translator('en');

/** A message as an English page of a deployment without branding shows it: what tests written against the English labels compare with. */
export function english(message: MessageRef): string {
  return en.t(message.id, { helpDesk: en.t('help.defaultDesk'), ...message.values });
}
