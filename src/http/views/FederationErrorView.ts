import type { Text } from '../../i18n/Text.js';
/** views/federation-error.ejs: the organisation's sign-in service failed or refused; the other ways in. */
export interface FederationErrorView {
  title: Text;
  heading: Text;
  message: Text;
  username: string;
  clientName: string | null;
  retryHref: string | null;
  /** Other methods' steps, by method name. */
  alternatives: Record<string, string>;
  backHref: string | null;
  /** Set by the flow as on every method step; this page does not show it. */
  retryAfterSeconds?: number;
}
