/**
 * Write docs/openapi.json: the admin API's OpenAPI document, generated from the operation table in dist/ (run
 * after `npm run build`; `npm run openapi` does both). test/openapi.test.ts fails when the committed file and the
 * code disagree, so the published description cannot drift.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { graphOperations } from '../dist/graph/graphOperations.js';
import { openApiDocument } from '../dist/graph/openApiDocument.js';

/** The issuer the published document names; a deployment serves its own at /openapi.json. */
const PUBLISHED_ISSUER = 'https://idp.example.com';

const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'openapi.json');
writeFileSync(target, `${JSON.stringify(openApiDocument(PUBLISHED_ISSUER, graphOperations), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
