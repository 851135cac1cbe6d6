import type { Page } from 'puppeteer-core';

// The link page's «first screen», as the page-weight benchmark measures it (page-weight.ts) and
// the rural-network benchmark reuses on a capped link (rural-network.ts): what was fetched
// before the first contentful paint and the heading, and when «Войти» became usable.

/** What one visit measured (ms since navigation start; bytes as Resource Timing's transferSize). */
export interface Run {
  bytesBeforePaint: number;
  fcpMs: number;
  bytesBeforeHeading: number;
  headingMs: number;
  joinUsableMs: number;
  bytesUntilUsable: number;
  requestsUntilUsable: number;
}

// Runs in the page before its own scripts (DevTools-injected, so no CSP applies to it):
// notes when the heading appears and when the join button becomes enabled.
export const OBSERVER = `(() => {
  const marks = (window.__pw = {});
  const check = () => {
    if (!marks.heading && document.querySelector('h1')) marks.heading = performance.now();
    const b = document.querySelector('[data-testid="join-button"]');
    if (!marks.joinUsable && b && !b.disabled && !b.hasAttribute('data-loading')) marks.joinUsable = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

/** Opens the link and waits until the join button is usable; returns what the page measured. */
export async function visit(page: Page, link: string): Promise<Run> {
  await page.goto(link, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  await page.waitForFunction(() => (window as unknown as { __pw: { joinUsable?: number } }).__pw.joinUsable, {
    timeout: 120_000,
    polling: 100,
  });
  return page.evaluate(() => {
    const marks = (window as unknown as { __pw: { heading: number; joinUsable: number } }).__pw;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const all = [nav, ...resources];
    const sum = (list: PerformanceResourceTiming[]) => list.reduce((a, r) => a + r.transferSize, 0);
    const untilUsable = all.filter((r) => r.responseEnd <= marks.joinUsable);
    return {
      bytesBeforePaint: sum(all.filter((r) => r.responseEnd <= fcp)),
      fcpMs: fcp,
      bytesBeforeHeading: sum(all.filter((r) => r.responseEnd <= marks.heading)),
      headingMs: marks.heading,
      joinUsableMs: marks.joinUsable,
      bytesUntilUsable: sum(untilUsable),
      requestsUntilUsable: untilUsable.length,
    };
  });
}
