import type { Users } from '../../directory/Users.js';
import type { User } from '../../directory/User.js';
import type { AuthMethod, MethodFailure, MethodStep, MethodSuccess, StepContext } from '../AuthMethod.js';
import type { FederationService } from './FederationService.js';
import type { MessageRef } from '../../i18n/MessageRef.js';
import { msg } from '../../i18n/msg.js';

export const FEDERATED_ONLY: MessageRef = msg('identifier.error.federatedOnly');

/**
 * Another method (passkeys) with the users of federated domains left out, for deployments that set
 * `allowPasskeyForFederatedUsers: false`: those users always sign in at their organisation (or with a TAP).
 * A decorator, so that the method itself knows nothing of federation.
 */
export class ExcludeFederatedUsers implements AuthMethod {
  readonly name: string;
  readonly acr: string;
  readonly bootstrapsPasskey: boolean;
  readonly identifiesUser: boolean;
  readonly identifierExtras?: AuthMethod['identifierExtras'];
  readonly readAhead?: AuthMethod['readAhead'];

  constructor(
    private readonly inner: AuthMethod,
    private readonly federation: FederationService,
    private readonly directory: Users,
  ) {
    this.name = inner.name;
    this.acr = inner.acr;
    this.bootstrapsPasskey = inner.bootstrapsPasskey;
    this.identifiesUser = inner.identifiesUser;
    if (inner.identifierExtras) this.identifierExtras = inner.identifierExtras.bind(inner);
    if (inner.readAhead) this.readAhead = inner.readAhead.bind(inner);
  }

  async isAvailable(user: User | undefined, username?: string): Promise<boolean> {
    // The inner method is asked even for a federated user, so that a known name does the same Redis work as an
    // unknown one of the same domain.
    const available = await this.inner.isAvailable(user, username);
    return available && !(user && this.federation.domainOf(user.userPrincipalName));
  }

  render(step: StepContext, error?: MessageRef): Promise<MethodStep> {
    return this.inner.render(step, error);
  }

  async verify(user: User | undefined, form: Record<string, string>, interactionId: string, ip?: string): Promise<MethodSuccess | MethodFailure> {
    const result = await this.inner.verify(user, form, interactionId, ip);
    // A username-less passkey names its owner only now.
    const owner = result.ok ? await this.directory.findById(result.accountId) : undefined;
    if (owner && this.federation.domainOf(owner.userPrincipalName)) return { ok: false, error: FEDERATED_ONLY };
    return result;
  }
}
