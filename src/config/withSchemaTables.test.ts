import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultOptions, parseConfig } from './parseConfig.js';
import { withSchemaTables } from './withSchemaTables.js';

const EMPTY = ['env', 'options', 'securityEvents', 'directory', 'resources', 'branding'].map((s) => `<!-- ${s}:start (generated from its schema by \`npm run docs:options\`) -->\n<!-- ${s}:end -->`).join('\n');

describe('the README tables of the environment, the options and the security-event settings', () => {
  it('are the ones generated from the schemas (run `npm run docs:options` after changing an option)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withSchemaTables(readme)).toBe(readme);
  });

  it('state every option and setting with the default the code applies', () => {
    const tables = withSchemaTables(EMPTY);
    for (const [name, value] of Object.entries(defaultOptions)) {
      expect(tables).toContain(`| \`${name}\` | ${name === 'rateLimits' ? 'see' : String(value)}`);
    }
    const events = parseConfig({ securityEvents: { url: 'https://receiver.example' } }).securityEvents!;
    for (const name of ['maxAttempts', 'backoffMs', 'timeoutMs'] as const) expect(tables).toContain(`| \`${name}\` | ${events[name]} |`);
    const ldap = parseConfig({ directory: { type: 'ldap', url: 'ldaps://l.example', bindDN: 'cn=a', bindPassword: 'p', searchBase: 'dc=x' } }).directory!;
    for (const name of ['cacheTtlSeconds', 'timeoutMs', 'poolSize'] as const) expect(tables).toContain(`| \`${name}\` | ${ldap[name]} |`);
    expect(tables).toContain(`| \`userFilter\` | ${JSON.stringify(ldap.userFilter)} |`);
    const [api] = parseConfig({ resources: [{ identifier: 'https://api.example', scopes: ['a'] }] }).resources!;
    expect(tables).toContain(`| \`accessTokenFormat\` | ${JSON.stringify(api!.accessTokenFormat)} |`);
  });

  it('refuse a README without the markers rather than append a table somewhere', () => {
    expect(() => withSchemaTables('# README\n')).toThrow('README.md lacks the markers');
  });
});
