import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * docs/security.md backs every claim with a test, named `file.test.ts › test title` (a title ending in "…" names
 * the tests that begin so). A renamed or deleted test would leave a claim standing on nothing: this fails then.
 */

const root = new URL('../', import.meta.url);
const doc = readFileSync(new URL('docs/security.md', root), 'utf8');

/** The titles a test file declares: as written, and as a pattern in which a template's `${…}` matches anything. */
function titlesOf(file: string): { raw: string; pattern: RegExp }[] {
  const source = readFileSync(file, 'utf8');
  const call = /\b(?:it|test)(?:\.each\([\s\S]*?\)\s*)?\(\s*(['"`])((?:\\.|(?!\1)[\s\S])*)\1/g;
  return [...source.matchAll(call)].map((m) => {
    const raw = m[2]!.replace(/\\(['"`\\])/g, '$1');
    const parts = m[1] === '`' ? raw.split(/\$\{[^}]*\}/) : [raw];
    return { raw, pattern: new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`) };
  });
}

/** A test file by name: in test/, or beside the code under src/. */
function locate(file: string): URL | undefined {
  const direct = new URL(`test/${file}`, root);
  if (existsSync(direct)) return direct;
  const found = readdirSync(new URL('src/', root), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith(`/${file}`) || f === file);
  return found ? new URL(`src/${found}`, root) : undefined;
}

const named = [...doc.matchAll(/`([\w/-]+\.test\.ts)\s+›\s+([^`]+)`/g)].map((m) => ({ file: m[1]!, title: m[2]!.replace(/\s+/g, ' ').trim() }));

describe('docs/security.md', () => {
  it('names tests for its claims', () => {
    expect(named.length).toBeGreaterThan(40);
  });

  it('names only tests that exist, each in the file it says', () => {
    const missing: string[] = [];
    for (const { file, title } of named) {
      const path = locate(file);
      if (!path) {
        missing.push(`${file} (no such file)`);
        continue;
      }
      const prefix = title.endsWith('…');
      const wanted = prefix ? title.slice(0, -1).trim() : title;
      const found = titlesOf(path.pathname).some((t) => (prefix ? t.raw.startsWith(wanted) : t.pattern.test(wanted)));
      if (!found) missing.push(`${file} › ${title}`);
    }
    expect(missing).toEqual([]);
  });

  it('names every test file it cites without a title too', () => {
    const files = [...doc.matchAll(/`([\w-]+\.test\.ts)`/g)].map((m) => m[1]!);
    expect(files.filter((f) => !locate(f))).toEqual([]);
  });
});
