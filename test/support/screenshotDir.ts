import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Where the browser tests put their screenshots: a temporary folder, so that `npm test` leaves the tree clean;
 * `npm run screenshots` points it at docs/screenshots (the README's pictures).
 */
export function screenshotDir(): string {
  const dir = path.resolve(process.env.SCREENSHOTS_DIR ?? path.join(tmpdir(), 'oidc-tap-screenshots'));
  mkdirSync(dir, { recursive: true });
  return dir;
}
