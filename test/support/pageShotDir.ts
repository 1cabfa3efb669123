import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the page harness puts its screenshots for `lang`: var/screenshots/<lang>/ (git-ignored), or
 * SCREENSHOTS_DIR/<lang>/ when set, so a run can write them where the README's pictures are chosen from.
 */
export function pageShotDir(lang: string): string {
  const dir = path.resolve(process.env.SCREENSHOTS_DIR ?? 'var/screenshots', lang);
  mkdirSync(dir, { recursive: true });
  return dir;
}
