import { execFileSync } from 'node:child_process';

/**
 * Build `dist/` once, before any test file spawns the CLI or the server from it. `SKIP_BUILD=1` skips it for a
 * quick run of files that do not need `dist/`.
 */
export default function setup(): void {
  if (process.env.SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
