/**
 * The layers of src/, lowest first (docs/architecture.md, "Layers"). A file may import from its own folder and
 * from lower layers, never from its own layer's other folders nor from above: lower layers know nothing of the
 * ones built on them. eslint.config.js turns this list into `no-restricted-imports` rules, one set per folder.
 */
export const layers = [
  // i18n: the message catalogue and the MessageRef every layer may return for a page to show.
  { name: 'kernel', folders: ['log', 'i18n', 'odata'], files: ['Clock', 'errors', 'checkSchema', 'nameListSchema'] },
  { name: 'storage', folders: ['store'] },
  // Below the services that write, since each of them records its own writes (createServices.ts wires it in).
  { name: 'audit', folders: ['audit'] },
  { name: 'records', folders: ['revocation', 'directory', 'ratelimit'] },
  { name: 'passkeys', folders: ['passkeys'] },
  { name: 'passes', folders: ['tap'] },
  { name: 'events', folders: ['events'] },
  { name: 'settings and web', folders: ['config', 'http'] },
  { name: 'sign-in methods', folders: ['methods'] },
  { name: 'provider', folders: ['provider'] },
  { name: 'sign-in flow', folders: ['flow'] },
  { name: 'features', folders: ['account', 'graph'] },
  // The admin console: security info's sign-in machinery and the admin API's authorization, one rule for both.
  { name: 'console', folders: ['admin'] },
  { name: 'set-up', folders: ['bootstrap', 'secrets'] },
  { name: 'composition', files: ['createServices', 'tapPlugin', 'createApp', 'startServer', 'cli', 'main', 'index'] },
];

/** ESLint config entries: for each folder (and root file), the imports it must not make. */
export function layerRules() {
  const patternsFor = (layer) => [
    ...(layer.folders ?? []).map((f) => `**/${f}/**`),
    ...(layer.files ?? []).map((f) => `**/${f}.js`),
  ];
  const entries = [];
  layers.forEach((layer, rank) => {
    const above = layers.slice(rank + 1);
    const units = [...(layer.folders ?? []).map((f) => ({ glob: [`src/${f}/**/*.ts`], self: f, kind: 'folder' })), ...(layer.files ?? []).map((f) => ({ glob: [`src/${f}.ts`], self: f, kind: 'file' }))];
    for (const unit of units) {
      const siblings = layers[rank];
      const sameLayer = [
        ...(siblings.folders ?? []).filter((f) => !(unit.kind === 'folder' && f === unit.self)).map((f) => `**/${f}/**`),
        // Root files of the same layer may use each other (the kernel's errors and Clock; the composition's files).
      ];
      const forbidden = [...above.flatMap(patternsFor), ...sameLayer];
      if (!forbidden.length) continue;
      entries.push({
        files: unit.glob,
        ignores: ['**/*.test.ts'],
        rules: {
          'no-restricted-imports': [
            'error',
            { patterns: [{ group: forbidden, message: `src/${unit.self}${unit.kind === 'file' ? '.ts' : '/'} is in the "${layer.name}" layer: import only from lower layers (docs/architecture.md, "Layers").` }] },
          ],
        },
      });
    }
  });
  return entries;
}
