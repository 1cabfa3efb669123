import type { Text } from '../../i18n/Text.js';
/** What every method step's view reads: the frame the flow gives each one. */
export interface StepView {
  title: Text;
  /** POST target of the step's form. */
  action: string;
  username: string;
  error: Text | null;
  clientName: string | null;
  /** Set by the flow on every step shown after a refused post that must wait (`Retry-After`); the TAP page counts it down. */
  retryAfterSeconds?: number | undefined;
  /** The client asked for a phishing-resistant sign-in (`acr_values=phr`): the passkey step says what to do without one. */
  phrRequired?: boolean;
}
