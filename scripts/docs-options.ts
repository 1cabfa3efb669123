/**
 * Rewrite README.md's options table from the options schema in dist/ (run after `npm run build`;
 * `npm run docs:options` does both). src/config/withOptionsTable.test.ts fails when the README and the schema
 * disagree, so the documented defaults cannot drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withOptionsTable } from '../dist/config/withOptionsTable.js';

const readme = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
writeFileSync(readme, withOptionsTable(readFileSync(readme, 'utf8')));
process.stdout.write(`wrote ${path.relative(process.cwd(), readme)}\n`);
