// TEMPORARY (helper E): diagnostics; deleted after use.
import { describe, it } from '@jest/globals';
import { openParticipant, PHONE } from './browser.ts';
import { productAndBrowser } from './stack.ts';
const ctx = productAndBrowser();
describe('debug', () => {
  it('ahead', async () => {
    const name = 'dbg-ahead';
    const link = await ctx.product.link(name, 'client', '', { start: new Date(Date.now() + 3 * 3600_000), state: 'planned' });
    const page = await openParticipant(ctx.browser, link, PHONE);
    page.on('console', (m) => console.info('[page]', m.type(), m.text()));
    await page.waitForSelector('[data-testid="link-schedule"][data-status="upcoming"]');
    await page.click('[data-testid="check-ahead"]');
    await page.waitForSelector('[data-testid="device-check"]', { timeout: 10_000 });
    const button = await page.waitForSelector('[data-testid="network-test-button"]:not([disabled])', { timeout: 30_000 });
    await button!.click();
    await page.waitForSelector('[data-testid="network-verdict"]', { timeout: 60_000 });
    const rows = await ctx.product.prisma.deviceCheck.findMany({ where: { consultationId: ctx.product.consultationId(name) } });
    console.info('ROWS', JSON.stringify(rows));
  }, 200_000);
});
