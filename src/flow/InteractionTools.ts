import type { InteractionRouterDeps } from './InteractionRouterDeps.js';
import type { MethodChooser } from './MethodChooser.js';
import type { SignInPages } from './SignInPages.js';

/** What the sign-in flow's handlers share, built once by interactionRouter. */
export interface InteractionTools {
  deps: InteractionRouterDeps;
  chooser: MethodChooser;
  pages: SignInPages;
}
