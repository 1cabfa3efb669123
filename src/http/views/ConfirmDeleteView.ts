import type { Text } from '../../i18n/Text.js';

/** views/confirm-delete.ejs: the question before a sign-in method is deleted, with the one form that deletes it. */
export interface ConfirmDeleteView {
  title: Text;
  username: string;
  heading: Text;
  /** What deleting it means for the person. */
  message: Text;
  /** The POST that deletes. */
  action: string;
  csrf: string;
  /** The button's words, naming what goes. */
  confirmLabel: Text;
  cancelHref: string;
}
