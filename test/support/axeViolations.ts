import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

/** axe-core's own build, read once per test file. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'];

/** The impacts that fail a page; minor and moderate ones are reported by the harness but do not fail it. */
const FAILING: ImpactValue[] = ['serious', 'critical'];

export interface AxeFinding {
  id: string;
  impact: ImpactValue;
  help: string;
  /** One line per element: its selector and what axe says is wrong with it. */
  nodes: string[];
  failing: boolean;
}

/**
 * Run axe-core on the page as it is now (colour scheme, width). The source is evaluated through the DevTools
 * protocol, which the pages' Content-Security-Policy (script-src 'self') does not govern, so the pages are checked
 * under their real policy; it is injected once per document.
 */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const options: RunOptions = { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] };
  const violations = await page.evaluate(async (opts) => {
    const axe = (globalThis as unknown as { axe: { run(ctx: Document, o: unknown): Promise<AxeResults> } }).axe;
    const r = await axe.run(document, opts);
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'minor',
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').trim()}`),
    }));
  }, options);
  return violations.map((v) => ({ ...v, impact: v.impact as ImpactValue, failing: FAILING.includes(v.impact as ImpactValue) }));
}
