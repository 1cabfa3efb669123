import type { StepView } from './StepView.js';

/** views/tap.ejs: the Temporary Access Pass method's step. */
export interface TapView extends StepView {
  passwordHref: string | null;
  passkeyHref: string | null;
  federationHref: string | null;
  backHref: string;
}
