import type { TObject } from '@sinclair/typebox';
import { BrandingSchema } from './BrandingSchema.js';
import { LdapDirectorySchema } from '../directory/LdapDirectorySchema.js';
import { SecurityEventsSchema } from '../events/SecurityEventsSchema.js';
import { EnvSchema } from './EnvSchema.js';
import { OptionsSchema } from './OptionsSchema.js';
import { ResourceSchema } from './ResourceSchema.js';

/** The README's tables generated from a schema: the config section they describe, its schema, their first column. */
const TABLES: { section: string; schema: TObject; column: string }[] = [
  { section: 'env', schema: EnvSchema, column: 'variable' },
  { section: 'options', schema: OptionsSchema, column: 'option' },
  { section: 'securityEvents', schema: SecurityEventsSchema, column: 'setting' },
  { section: 'directory', schema: LdapDirectorySchema, column: 'setting' },
  { section: 'resources', schema: ResourceSchema, column: 'field' },
  { section: 'branding', schema: BrandingSchema, column: 'field' },
];

const markers = (section: string) => ({
  start: `<!-- ${section}:start (generated from its schema by \`npm run docs:options\`) -->`,
  end: `<!-- ${section}:end -->`,
});

function table(schema: TObject, column: string): string {
  const rows = Object.entries(schema.properties).map(([name, s]) => {
    const annotated = s as { default?: unknown; defaultText?: string; description?: string };
    return `| \`${name}\` | ${annotated.defaultText ?? JSON.stringify(annotated.default)} | ${annotated.description ?? ''} |`;
  });
  return [`| ${column} | default | meaning |`, '|---|---|---|', ...rows].join('\n');
}

/**
 * `readme` with the environment's and each config section's table, between its markers, generated from the section's schema, so the
 * README states the defaults and meanings the code applies. Throws when a pair of markers is missing.
 */
export function withSchemaTables(readme: string): string {
  let out = readme;
  for (const { section, schema, column } of TABLES) {
    const { start, end } = markers(section);
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} … ${end}`);
    out = `${out.slice(0, from + start.length)}\n${table(schema, column)}\n${out.slice(to)}`;
  }
  return out;
}
