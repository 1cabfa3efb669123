import type { StepView } from './StepView.js';

/** views/password.ejs: the password method's step. */
export interface PasswordView extends StepView {
  passkeyHref: string | null;
  backHref: string;
}
