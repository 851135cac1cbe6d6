import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { checkA11y } from './a11y.ts';
import { openParticipant, openStaff, PHONE, screenshot } from './browser.ts';
import { productAndBrowser } from './stack.ts';

// The client's feedback form (анкета) from its link, on a 360 px phone (real server, real
// database): the seven criteria, the wish about the format and the texts; «Спасибо!» with until
// when it can be changed; changed once more — one answer of the participant; axe-clean.

const ctx = productAndBrowser();
const CRITERIA = ['quality', 'topicMatch', 'comfort', 'clarity', 'usefulness', 'stateImproved', 'specialistWork'] as const;

const testId = (id: string) => `[data-testid="${id}"]`;
const DESKTOP = { width: 1280, height: 800 };
const CLIENT_NAME = 'Анна Сергеевна К.';

/** Presses the mark `score` (1–5) of one criterion: its segment's label. */
async function mark(page: Page, criterion: string, score: number): Promise<void> {
  const labels = await page.$$(`${testId(`feedback-${criterion}`)} label`);
  expect(labels).toHaveLength(5);
  await labels[score - 1]!.click();
}

async function serious(page: Page, name: string): Promise<void> {
  expect(await checkA11y(page, name)).toEqual([]);
}

describe("the client's feedback form", () => {
  it('is answered from the link on a phone, thanked, changed once more, and stays one answer', async () => {
    const link = await ctx.product.link('feedback-phone', 'client', '', {
      start: new Date(Date.now() - 2 * 3600_000),
      state: 'ended',
      linkExpiresAt: new Date(Date.now() + 24 * 3600_000),
      displayName: CLIENT_NAME,
    });
    const page = await openParticipant(ctx.browser, `${link}/feedback`, PHONE);
    await page.waitForSelector(testId('feedback-form'), { timeout: 15_000 });
    expect(await page.$eval('h1', (el) => el.textContent)).toBe('Анкета: как прошла консультация');
    await serious(page, 'feedback-form-phone');
    await screenshot(page, 'feedback-form-phone');

    // Every target is at least 48 px tall, and nothing is wider than the phone.
    const heights = await page.$$eval(`${testId('feedback-quality')} label`, (els) => els.map((e) => e.getBoundingClientRect().height));
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(48);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    // Sent with a criterion missing: said so, nothing sent.
    await page.click(testId('feedback-send'));
    await page.waitForSelector(testId('feedback-problem'));
    expect(await page.$eval(testId('feedback-problem'), (el) => el.textContent)).toContain('все семь пунктов');

    const scores = [5, 4, 5, 4, 5, 3, 5];
    for (const [i, c] of CRITERIA.entries()) await mark(page, c, scores[i]!);
    const preference = await page.$$(`${testId('feedback-preference')} label`);
    await preference[0]!.click(); // «Больше практики»
    await page.type(`${testId('feedback-impressions')}`, 'Всё было понятно и спокойно');
    await page.click(testId('feedback-send'));

    await page.waitForSelector(testId('feedback-thanks'), { timeout: 10_000 });
    expect(await page.$eval(testId('feedback-thanks'), (el) => el.textContent)).toContain('Спасибо!');
    expect(await page.$eval(testId('feedback-edit'), (el) => el.textContent)).toMatch(/^Изменить ответ до \d+/);
    await serious(page, 'feedback-thanks-phone');
    await screenshot(page, 'feedback-thanks-phone');

    const consultationId = ctx.product.consultationId('feedback-phone');
    const rows = () => ctx.product.prisma.feedbackAnswer.findMany({ where: { consultationId } });
    expect(await rows()).toMatchObject([
      {
        quality: 5,
        topicMatch: 4,
        comfort: 5,
        clarity: 4,
        usefulness: 5,
        stateImproved: 3,
        specialistWork: 5,
        preference: 'more_practice',
        impressions: 'Всё было понятно и спокойно',
      },
    ]);

    // «Изменить ответ»: the form comes back filled in; one mark changed and sent again.
    await page.click(testId('feedback-edit'));
    await page.waitForSelector(testId('feedback-form'));
    expect(await page.$eval(`${testId('feedback-impressions')}`, (el) => (el as HTMLTextAreaElement).value)).toBe(
      'Всё было понятно и спокойно',
    );
    await mark(page, 'quality', 3);
    expect(await page.$eval(testId('feedback-send'), (el) => el.textContent)).toBe('Сохранить изменения');
    await page.click(testId('feedback-send'));
    await page.waitForSelector(testId('feedback-thanks'), { timeout: 10_000 });
    const after = await rows();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ quality: 3, topicMatch: 4, preference: 'more_practice' });

    // Opened again later: thanked, with the answer kept.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector(testId('feedback-thanks'), { timeout: 15_000 });
    await page.browserContext().close();

    // The consultation's specialist reads it on the consultation's page: the marks, no name.
    const seat = await ctx.product.staff('feedback-phone', 'specialist');
    const staffPage = await openStaff(
      ctx.browser,
      { ...seat, roomUrl: `${ctx.product.base}/staff/consultations/${consultationId}` },
      DESKTOP,
    );
    await staffPage.waitForSelector(testId('feedback-table'), { timeout: 20_000 });
    expect(await staffPage.$eval(testId('feedback-average-quality'), (el) => el.textContent)).toBe('3,0');
    const panel = await staffPage.$eval(testId('consultation-feedback'), (el) => el.textContent ?? '');
    expect(panel).toContain('Всё было понятно и спокойно');
    expect(panel).toContain('Больше практики');
    expect(panel).not.toContain(CLIENT_NAME);
    await staffPage.$eval(testId('consultation-feedback'), (el) => el.scrollIntoView());
    await serious(staffPage, 'feedback-staff-desktop');
    await screenshot(staffPage, 'feedback-staff-desktop');
    await staffPage.browserContext().close();
  }, 120_000);

  it('says a consultation that did not take place has nothing to rate', async () => {
    const link = await ctx.product.link('feedback-cancelled', 'client', '', {
      start: new Date(Date.now() + 3600_000),
      state: 'cancelled',
    });
    const page = await openParticipant(ctx.browser, `${link}/feedback`, PHONE);
    await page.waitForSelector(testId('feedback-unavailable'), { timeout: 15_000 });
    expect(await page.$eval(testId('feedback-page'), (el) => el.getAttribute('data-status'))).toBe('cancelled');
    expect(await page.$(testId('feedback-form'))).toBeNull();
    await page.browserContext().close();
  }, 60_000);
});
