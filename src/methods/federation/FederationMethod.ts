import type { User } from '../../directory/User.js';
import type { AuthMethod, MethodFailure, MethodStep, MethodSuccess, StepContext } from '../AuthMethod.js';
import type { FederationService } from './FederationService.js';
import type { MessageRef } from '../../i18n/MessageRef.js';
import { msg } from '../../i18n/msg.js';

export const UPSTREAM_UNREACHABLE: MessageRef = msg('federation.error.unreachable');

/**
 * Sign in at the OpenID provider of the user's domain. The step is a redirect; the upstream's answer comes back
 * through federationRouter, which finishes the sign-in. Chosen by domain alone, so that an unknown user of a
 * federated domain is sent upstream like a known one and the pages do not tell who has an account.
 */
export class FederationMethod implements AuthMethod {
  readonly name = 'federation';
  /** What most upstream sign-ins reach; a sign-in's own acr follows the upstream (federatedAuthentication). Never `phr`: a client demanding a passkey is not sent away. */
  readonly acr = 'mfa';
  readonly bootstrapsPasskey = false;
  readonly identifiesUser = false;

  constructor(private readonly federation: FederationService) {}

  async isAvailable(user: User | undefined, username?: string): Promise<boolean> {
    return this.federation.domainOf(user?.userPrincipalName ?? username ?? '') !== undefined;
  }

  async render(step: StepContext): Promise<MethodStep> {
    try {
      return { redirect: (await this.federation.begin(step.interactionId, step.user?.userPrincipalName ?? step.username)).href };
    } catch {
      // Logged by the service. The person gets a page that says so and the other ways they have.
      return {
        view: 'federation-error',
        status: 503,
        locals: {
          title: msg('federation.unavailable.title'),
          heading: msg('federation.unreachable.heading'),
          message: UPSTREAM_UNREACHABLE,
          username: step.username,
          clientName: step.clientName,
          retryHref: `${step.action}?username=${encodeURIComponent(step.username)}`,
          alternatives: step.alternatives,
          backHref: step.backHref,
        },
      };
    }
  }

  /** There is nothing to submit: a post here starts the redirect again (the flow re-renders the step). */
  async verify(): Promise<MethodSuccess | MethodFailure> {
    return { ok: false, error: msg('federation.error.useOrganisation') };
  }
}
