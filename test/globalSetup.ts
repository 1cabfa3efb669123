import { execFileSync } from 'node:child_process';

/** Build `dist/` once, before any test file spawns the CLI or the server from it. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
