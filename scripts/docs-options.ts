/**
 * Rewrite README.md's tables of the environment, the options and the security-event settings from their schemas in dist/ (run after `npm run build`;
 * `npm run docs:options` does both). src/config/withSchemaTables.test.ts fails when the README and the schema
 * disagree, so the documented defaults cannot drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withSchemaTables } from '../dist/config/withSchemaTables.js';

const readme = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
writeFileSync(readme, withSchemaTables(readFileSync(readme, 'utf8')));
process.stdout.write(`wrote ${path.relative(process.cwd(), readme)}\n`);
