import path from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations } from './axeViolations.js';
import { PAGE_VIEWS } from './PAGE_VIEWS.js';

/** What the harness found on one page, in every view: readable lines, the failing ones apart. */
export interface PageAudit {
  failing: string[];
  notes: string[];
}

/**
 * Check the page the browser shows now in light and dark, at desktop and phone width: axe-core in each, and a
 * screenshot of each (`<name>-<scheme>-<width>.png` in `dir`). The page is not reloaded between views, so a
 * state reached by a journey (an error, a countdown) is what is checked. Ends in the first view again.
 */
export async function auditPage(page: Page, name: string, dir: string): Promise<PageAudit> {
  const audit: PageAudit = { failing: [], notes: [] };
  for (const view of PAGE_VIEWS) {
    await page.setViewportSize({ width: view.width, height: view.height });
    await page.emulateMedia({ colorScheme: view.scheme });
    // Colours change through CSS transitions: start them (a forced layout) and end them before axe measures.
    await page.evaluate(() => {
      void document.body.offsetHeight;
      for (const a of document.getAnimations()) a.finish();
    });
    for (const v of await axeViolations(page)) {
      const line = `${name} (${view.scheme}, ${view.width}px): [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n}`).join('\n')}`;
      (v.failing ? audit.failing : audit.notes).push(line);
    }
    await page.screenshot({ path: path.join(dir, `${name}-${view.scheme}-${view.width}.png`), fullPage: true });
  }
  const first = PAGE_VIEWS[0];
  await page.setViewportSize({ width: first.width, height: first.height });
  await page.emulateMedia({ colorScheme: first.scheme });
  return audit;
}
