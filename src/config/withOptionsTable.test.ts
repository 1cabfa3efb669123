import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultOptions } from './parseConfig.js';
import { withOptionsTable } from './withOptionsTable.js';

describe('the README options table', () => {
  it('is the one generated from the options schema (run `npm run docs:options` after changing an option)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withOptionsTable(readme)).toBe(readme);
  });

  it('states every option with the default the code applies', () => {
    const table = withOptionsTable('<!-- options:start (generated from src/config/OptionsSchema.ts by `npm run docs:options`) -->\n<!-- options:end -->');
    for (const [name, value] of Object.entries(defaultOptions)) {
      expect(table).toContain(`| \`${name}\` | ${name === 'rateLimits' ? 'see' : String(value)}`);
    }
  });

  it('refuses a README without the markers rather than append a table somewhere', () => {
    expect(() => withOptionsTable('# README\n')).toThrow('README.md lacks the markers');
  });
});
