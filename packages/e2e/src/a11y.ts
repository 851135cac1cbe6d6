import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { artifactsDir } from './browser.ts';

// WCAG 2.1 A/AA checks of a live page with axe-core (injected into the page as a plain script).

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** One serious or critical violation, short enough to read in a test's diff. */
export interface A11yViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  /** Up to five CSS selectors of the offending elements. */
  targets: string[];
}

interface AxeResultLike {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/**
 * Runs axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is now, writes the full result
 * to `test-artifacts/a11y-<name>.json` and returns the serious and critical violations.
 */
export async function checkA11y(page: Page, name: string): Promise<A11yViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, not as a <script> element: the app's
  // Content-Security-Policy (scripts from our origin only) refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<unknown> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(resolve(artifactsDir, `a11y-${name}.json`), JSON.stringify(result, null, 2));
  return (result as AxeResultLike).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')),
    }));
}
