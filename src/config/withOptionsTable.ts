import { OptionsSchema } from './OptionsSchema.js';

const START = '<!-- options:start (generated from src/config/OptionsSchema.ts by `npm run docs:options`) -->';
const END = '<!-- options:end -->';

function optionsTable(): string {
  const rows = Object.entries(OptionsSchema.properties).map(([name, s]) => {
    const annotated = s as { default?: unknown; defaultText?: string; description?: string };
    return `| \`${name}\` | ${annotated.defaultText ?? JSON.stringify(annotated.default)} | ${annotated.description ?? ''} |`;
  });
  return ['| option | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/**
 * `readme` with the options table between its markers generated from OptionsSchema, so the README states the
 * defaults and meanings the code applies. Throws when the markers are missing.
 */
export function withOptionsTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${START} … ${END}`);
  return `${readme.slice(0, start + START.length)}\n${optionsTable()}\n${readme.slice(end)}`;
}
