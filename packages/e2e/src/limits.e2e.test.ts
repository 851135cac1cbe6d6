import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { join, openParticipant, PHONE } from './browser.ts';
import { productAndBrowser } from './stack.ts';

// Finding 10 of the security review, as a person meets it: a link used too often in a minute
// gets a calm «подождите минуту» on screen — on the link page (look-ups) and on joining —
// never «нет связи» or a blank page. The per-link budgets are made tiny for this product.

const ctx = productAndBrowser(() => ({ LIMIT_LINK_LOOKUPS_PER_LINK: '3', LIMIT_JOINS_PER_LINK: '1' }));

const CALM = 'Слишком много попыток. Подождите минуту и попробуйте снова.';
const status = (page: Page) => page.$eval('[data-testid="link-schedule"]', (el) => el.getAttribute('data-status'));

describe('too many attempts with one link', () => {
  it('the link page says «подождите минуту» once its look-ups are used up', async () => {
    const link = await ctx.product.link('limits-over', 'client', '', { start: new Date(Date.now() - 2 * 3600_000) });
    const page = await openParticipant(ctx.browser, link, PHONE);
    await page.waitForSelector('[data-testid="link-schedule"]');
    expect(await status(page)).toBe('over');
    let seen = await status(page);
    for (let i = 0; i < 5 && seen !== 'rate_limited'; i++) {
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.waitForSelector('[data-testid="link-schedule"]');
      seen = await status(page);
    }
    expect(seen).toBe('rate_limited');
    expect(await page.$eval('h1', (el) => el.textContent)).toBe('Подождите минуту');
    expect(await page.$eval('[data-testid="link-schedule"]', (el) => el.textContent)).toContain(CALM);
    await page.browserContext().close();
  }, 60_000);

  it('a second join of the link in the minute: the same calm message, with «try again»', async () => {
    const link = await ctx.product.link('limits-join', 'client');
    const page = await openParticipant(ctx.browser, link, PHONE);
    await join(page, 20_000);
    await page.waitForSelector('[data-testid="waiting-room"]', { timeout: 15_000 });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await join(page, 20_000);
    await page.waitForSelector('[data-testid="end-screen"]', { timeout: 15_000 });
    expect(await page.$eval('[data-testid="end-screen"]', (el) => el.textContent)).toContain(CALM);
    expect(await page.$('[data-testid="rejoin-button"]')).not.toBeNull();
    await page.browserContext().close();
  }, 60_000);
});
