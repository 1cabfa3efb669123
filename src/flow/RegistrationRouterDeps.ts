import type Provider from 'oidc-provider';
import type { Users } from '../directory/Users.js';
import type { Logger } from '../log/Logger.js';
import type { PasskeyService } from '../passkeys/PasskeyService.js';
import type { TapService } from '../tap/TapService.js';
import type { LoginCompleter } from './LoginCompleter.js';
import type { PendingLogins } from './PendingLogins.js';

export interface RegistrationRouterDeps {
  provider: Provider;
  directory: Users;
  taps: TapService;
  passkeys: PasskeyService;
  pending: PendingLogins;
  completer: LoginCompleter;
  /** Delete the TAP once the new passkey has signed in (deployment option `deleteTapAfterPasskey`). */
  deleteTapAfterPasskey: boolean;
  log: Logger;
}
