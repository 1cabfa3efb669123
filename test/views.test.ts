import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url);
const viewsDir = new URL('views/', root);
const localsFile = new URL('src/http/views/ViewLocals.ts', root).pathname;

/** Each view named in ViewLocals, with the properties its locals interface declares (inherited ones too). */
function declaredLocals(): Map<string, Set<string>> {
  const program = ts.createProgram([localsFile], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(localsFile)!;
  const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'ViewLocals')!;
  const map = checker.getTypeAtLocation(decl);
  return new Map(
    checker.getPropertiesOfType(map).map((view) => [view.name, new Set(checker.getPropertiesOfType(checker.getTypeOfSymbolAtLocation(view, decl)).map((p) => p.name))]),
  );
}

/** The names a template takes from `locals`: its destructuring line and any `locals.x`. */
function readLocals(template: string): string[] {
  const names = new Set<string>();
  const destructured = /const \{([^}]*)\} = locals;/.exec(template)?.[1] ?? '';
  for (const n of destructured.split(',')) if (n.trim()) names.add(n.trim());
  for (const m of template.matchAll(/\blocals\.(\w+)/g)) names.add(m[1]!);
  return [...names];
}

describe('typed view locals', () => {
  const declared = declaredLocals();
  const templates = readdirSync(viewsDir).filter((f) => f.endsWith('.ejs')).map((f) => f.slice(0, -'.ejs'.length));

  it('has a locals interface for every view, and no interface without a view', () => {
    expect([...declared.keys()].sort()).toEqual(templates.sort());
  });

  it.each(templates)('declares every local that views/%s.ejs reads', (view) => {
    const read = readLocals(readFileSync(new URL(`${view}.ejs`, viewsDir), 'utf8'));
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((name) => !declared.get(view)?.has(name))).toEqual([]);
  });
});
