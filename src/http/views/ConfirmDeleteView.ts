/** views/confirm-delete.ejs: the question before a sign-in method is deleted, with the one form that deletes it. */
export interface ConfirmDeleteView {
  title: string;
  username: string;
  heading: string;
  /** What deleting it means for the person. */
  message: string;
  /** The POST that deletes. */
  action: string;
  csrf: string;
  /** The button's words, naming what goes. */
  confirmLabel: string;
  cancelHref: string;
}
