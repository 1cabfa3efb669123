import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config/AppConfig.js';
import type { Users } from '../directory/Users.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import type { TapService } from '../tap/TapService.js';

/**
 * First start: when the deployment has a global administrator with no credential, issue them a one-time TAP
 * (like an initial admin password), write it once to `<dataDir>/initial-admin-tap` (0600) and log only where
 * it is. Runs once per Redis: a marker key stops it from issuing again on every restart.
 */
export async function issueInitialAdminTap(
  deps: { redis: Store; directory: Users; taps: TapService; log: Logger; config: AppConfig },
  dataDir: string,
): Promise<string | undefined> {
  const seed = deps.config.users.find((u) => u.roles.includes('GlobalAdministrator') && u.password === undefined);
  if (!seed) return undefined;
  const file = path.join(dataDir, 'initial-admin-tap');
  if (existsSync(file)) return undefined;
  // Claim the bootstrap atomically, so two servers starting together issue one TAP between them.
  const claimed = await deps.redis.set(keys.bootstrapDone(), new Date().toISOString(), 'NX');
  if (claimed !== 'OK') return undefined;
  const admin = await deps.directory.findByUpn(seed.userPrincipalName);
  if (!admin) return undefined;
  const policy = await deps.taps.getPolicy();
  const tap = await deps.taps.create(admin, { isUsableOnce: true, lifetimeInMinutes: policy.maximumLifetimeInMinutes }, { actor: { type: 'system', id: 'bootstrap' } });
  const expires = new Date(Date.parse(tap.startDateTime) + tap.lifetimeInMinutes * 60_000).toISOString();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(
    file,
    `user: ${admin.userPrincipalName}\ntemporaryAccessPass: ${tap.temporaryAccessPass}\nexpires: ${expires}\nuse: once\n`,
    { mode: 0o600 },
  );
  deps.log.warn('bootstrap.initialAdminTap', {
    user: admin.userPrincipalName,
    file,
    expires,
    note: 'a one-time Temporary Access Pass for the first administrator was written to this file; read it, then delete the file',
  });
  if (policy.state !== 'enabled') {
    deps.log.warn('bootstrap.policyDisabled', { note: 'the TAP policy is disabled, so the bootstrap TAP cannot sign in until it is enabled' });
  }
  return file;
}
