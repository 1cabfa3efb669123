import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ROOT } from './processes.ts';
import type * as ClusterModule from '../test/support/startRedisCluster.ts';

let hooked = false;

/**
 * The test suite's 6-node Redis Cluster (test/support/startRedisCluster.ts), started from the bench. test/ and
 * src/ name their relative imports `./x.js` for the TypeScript sources, which vitest and tsc resolve to `x.ts`
 * but plain Node does not: a resolve hook does the same for modules under test/ and src/, and only where the
 * `.js` file is missing and the `.ts` one exists, so nothing the bench already loads changes.
 */
export async function startTestCluster(): Promise<ClusterModule.TestCluster> {
  if (!hooked) {
    const sources = [pathToFileURL(`${ROOT}test/`).href, pathToFileURL(`${ROOT}src/`).href];
    registerHooks({
      resolve(specifier, context, nextResolve) {
        const parent = context.parentURL;
        if (parent && sources.some((s) => parent.startsWith(s)) && specifier.startsWith('.') && specifier.endsWith('.js')) {
          const ts = specifier.replace(/\.js$/, '.ts');
          if (!existsSync(new URL(specifier, parent)) && existsSync(new URL(ts, parent))) return nextResolve(ts, context);
        }
        return nextResolve(specifier, context);
      },
    });
    hooked = true;
  }
  const { startRedisCluster } = (await import('../test/support/startRedisCluster.ts')) as typeof ClusterModule;
  return startRedisCluster();
}
