import type { StepView } from './StepView.js';

/** views/passkey.ejs: the passkey method's step. */
export interface PasskeyView extends StepView {
  /** WebAuthn request options, JSON. */
  options: string;
  /** Other methods' steps, by method name. */
  alternatives: Record<string, string>;
  backHref: string;
}
