import type Provider from 'oidc-provider';
import type { Clock } from '../Clock.js';
import type { Users } from '../directory/Users.js';
import type { Logger } from '../log/Logger.js';
import type { PasskeyService } from '../passkeys/PasskeyService.js';
import type { Store } from '../store/connectRedis.js';
import type { TapService } from '../tap/TapService.js';

export interface AccountRouterDeps {
  provider: Provider;
  /** The public issuer URL: the page's own client redirects back under it, and forms must come from its origin. */
  issuer: string;
  redis: Store;
  clock: Clock;
  directory: Users;
  taps: TapService;
  passkeys: PasskeyService;
  /** Adding, renaming or deleting a method needs a sign-in at most this old (option `reauthenticationMaxAgeSeconds`). */
  reauthenticationMaxAgeSeconds: number;
  log: Logger;
}
