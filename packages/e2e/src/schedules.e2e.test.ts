// The specialists' monthly schedule on screen (issue 17, part D), in real browsers with no API
// call made by the test: the head fills a month from the working hours and approves it; the
// specialist, on a phone, proposes a correction (the approved month stays in force); the head
// approves the correction. axe-core at 1280×800 (head) and 360×640 (specialist), screenshots.
import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { checkA11y, type A11yViolation } from './a11y.ts';
import { PHONE, screenshot, waitUntil } from './browser.ts';
import { staffOf } from './staff.ts';
import { productAndBrowser } from './stack.ts';

const ctx = productAndBrowser();
const DESKTOP = { width: 1280, height: 800 };
const settle = (ms = 600) => new Promise((r) => setTimeout(r, ms));
const text = (page: Page, id: string) => page.$eval(`[data-testid="${id}"]`, (e) => (e as HTMLElement).innerText);
const click = (page: Page, id: string) => page.click(`[data-testid="${id}"]`);

async function chooseSpecialist(page: Page, name: string) {
  await page.click('[data-testid="schedule-specialist"]');
  await page.waitForSelector('[role="option"]');
  await page.evaluate((n) => {
    const o = [...document.querySelectorAll('[role="option"]')].find((x) => (x as HTMLElement).innerText.includes(n));
    (o as HTMLElement).click();
  }, name);
  await settle();
}

/** The first day with hours on the calendar. */
const firstWorkedDay = (page: Page) =>
  page.evaluate(() => {
    const d = [...document.querySelectorAll('[data-testid^="schedule-day-"]')].find((x) => /\d\s*ч/.test((x as HTMLElement).innerText));
    return d?.getAttribute('data-testid') ?? null;
  });

describe('the monthly schedule', () => {
  it('head fills and approves, specialist proposes a correction, head approves it', async () => {
    const { product, browser } = ctx;
    await product.link('schedules', 'client');
    const cid = product.consultationId('schedules');
    const head = await staffOf(product.prisma, cid, 'head', 'Руководитель Смирнова');
    const spec = await staffOf(product.prisma, cid, 'specialist', 'Психолог Петрова');
    const found: Record<string, A11yViolation[]> = {};

    const hc = await browser.createBrowserContext();
    const hp = await hc.newPage();
    hp.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
    await hp.setViewport(DESKTOP);
    await hp.goto(new URL('/sign-in', product.base).href, { waitUntil: 'domcontentloaded' });
    await head.signIn(hp);
    await hp.goto(new URL('/schedules', product.base).href, { waitUntil: 'networkidle0' });
    await hp.waitForSelector('[data-testid="schedule-status"]', { timeout: 15_000 });
    await chooseSpecialist(hp, 'Психолог Петрова');
    await hp.waitForSelector('[data-testid="schedule-status"]');
    await screenshot(hp, 'schedules-head-empty-desktop');
    await click(hp, 'schedule-fill-hours');
    await waitUntil(async () => (await firstWorkedDay(hp)) !== null, 'filled');
    // One action at a time: «Утвердить» waits for the filling to finish.
    await (await hp.waitForSelector('[data-testid="schedule-approve"]:not([disabled])', { timeout: 10_000 }))!.click();
    await waitUntil(async () => (await text(hp, 'schedule-status')).includes('Утверждено'), 'approved');
    const day = (await firstWorkedDay(hp))!;
    await click(hp, day);
    await settle();
    found['head-approved'] = await checkA11y(hp, 'schedules-head-approved');
    await screenshot(hp, 'schedules-head-approved-desktop');

    const sc = await browser.createBrowserContext();
    const sp = await sc.newPage();
    sp.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
    await sp.setViewport(PHONE);
    await sp.goto(new URL('/sign-in', product.base).href, { waitUntil: 'domcontentloaded' });
    await spec.signIn(sp);
    await sp.goto(new URL('/schedules', product.base).href, { waitUntil: 'networkidle0' });
    await sp.waitForSelector('[data-testid="schedule-status"]', { timeout: 15_000 });
    await screenshot(sp, 'schedules-spec-phone-top');
    await click(sp, day);
    await sp.waitForSelector('[data-testid="schedule-block-0-end"]');
    await click(sp, 'schedule-block-0-remove');
    await click(sp, 'schedule-propose');
    await waitUntil(async () => (await text(sp, 'schedule-status')).includes('исправление'), 'proposed');
    found['spec-phone'] = await checkA11y(sp, 'schedules-spec-phone');
    const wide = await sp.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    expect(wide).toBe(false);
    await sp.evaluate(() => window.scrollTo(0, 0));
    await screenshot(sp, 'schedules-spec-phone-proposed');
    await sp.evaluate(() => document.querySelector('[data-testid="schedule-day-editor"]')?.scrollIntoView());
    await screenshot(sp, 'schedules-spec-phone-editor');

    await hp.reload({ waitUntil: 'networkidle0' });
    await hp.waitForSelector('[data-testid="schedule-status"]');
    await chooseSpecialist(hp, 'Психолог Петрова');
    await hp.waitForSelector('[data-testid="schedule-approve-correction"]');
    await click(hp, day);
    await settle();
    found['head-correction'] = await checkA11y(hp, 'schedules-head-correction');
    await screenshot(hp, 'schedules-head-correction-desktop');
    await click(hp, 'schedule-approve-correction');
    await waitUntil(async () => !(await text(hp, 'schedule-status')).includes('исправление'), 'correction approved');
    await screenshot(hp, 'schedules-head-after-desktop');
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  }, 180_000);
});
