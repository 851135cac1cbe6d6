import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { checkA11y } from './a11y.ts';
import { devicesChecked, openParticipant, PHONE, screenshot } from './browser.ts';
import { staffOf } from './staff.ts';
import { productAndBrowser } from './stack.ts';

// What the client sees on its link page (with whom, where, what about, a moved time, «не смогу
// прийти», the calendar file, entering with the microphone or camera off) and the staff
// consultation page with its list — in the real product, axe-clean at a phone's and a laptop's size.

const ctx = productAndBrowser();
const DESKTOP = { width: 1280, height: 800 };
const HOUR = 3_600_000;
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const text = (page: Page, testId: string) => page.$eval(`[data-testid="${testId}"]`, (el) => el.textContent ?? '');

/** A consultation tomorrow with a named specialist, a topic and one move behind it; the client's link. */
async function movedConsultation(name: string) {
  const { product } = ctx;
  const start = new Date(Date.now() + 26 * HOUR);
  const link = await product.link(name, 'client', '', { start, state: 'planned', displayName: 'Анна Сергеевна К.' });
  const id = product.consultationId(name);
  const prisma = product.prisma;
  const specialist = await staffOf(prisma, id, 'specialist', 'Ирина Петрова');
  await prisma.consultationSpecialist.create({ data: { consultationId: id, specialistId: specialist.id } });
  await prisma.participant.create({
    data: { consultationId: id, role: 'specialist', staffUserId: specialist.id, displayName: 'Ирина Петрова' },
  });
  await prisma.consultation.update({ where: { id }, data: { topic: 'family' } });
  await prisma.consultationTransition.create({
    data: {
      consultationId: id,
      event: 'reschedule',
      fromState: 'planned',
      toState: 'planned',
      at: new Date(),
      previousStart: new Date(start.getTime() - 24 * HOUR),
    },
  });
  return { id, link, specialist };
}

describe('the consultation seen by the client and by staff', () => {
  it('the link page says with whom, where and what about, highlights the move, takes «не смогу прийти» and offers the .ics', async () => {
    const { id, link, specialist } = await movedConsultation('cp-link');
    const page = await openParticipant(ctx.browser, link, PHONE);
    await page.waitForSelector('[data-testid="link-with-whom"]', { timeout: 15_000 });
    expect(await text(page, 'link-with-whom')).toContain('Ирина Петрова, Педагог-психолог');
    expect(await text(page, 'link-institution')).toMatch(/Учреждение: .+/);
    expect(await text(page, 'link-topic')).toContain('семейные проблемы');
    expect(await text(page, 'link-moved')).toMatch(/Было: .+ Стало: .+/);
    const href = await page.$eval('[data-testid="link-ics"]', (el) => el.getAttribute('href') ?? '');
    const ics = await page.evaluate(async (h) => {
      const r = await fetch(h);
      return { type: r.headers.get('content-type'), body: await r.text() };
    }, href);
    expect(ics.type).toMatch(/^text\/calendar/);
    expect(ics.body).toContain('BEGIN:VEVENT');
    await screenshot(page, 'link-about-phone');
    expect(await checkA11y(page, 'link-about-phone')).toEqual([]);

    await page.click('[data-testid="link-cannot-come"]');
    await page.waitForSelector('[data-testid="link-answer-note"]');
    await page.type('[data-testid="link-answer-note"]', 'Удобно в четверг после обеда');
    await screenshot(page, 'link-answer-form-phone');
    expect(await checkA11y(page, 'link-answer-form-phone')).toEqual([]);
    await page.click('[data-testid="link-answer-other-time"]');
    await page.waitForSelector('[data-testid="link-answer-sent"]', { timeout: 10_000 });
    await screenshot(page, 'link-answer-sent-phone');
    const stored = await ctx.product.prisma.clientAnswer.findMany({ where: { consultationId: id } });
    expect(stored.map((a) => [a.kind, a.note])).toEqual([['other_time', 'Удобно в четверг после обеда']]);
    await page.browserContext().close();

    // The specialist's list shows the client by name with the flag, and opens the page.
    const staffPage = await (await ctx.browser.createBrowserContext()).newPage();
    await staffPage.setViewport(DESKTOP);
    await staffPage.goto(`${ctx.product.base}/sign-in`, { waitUntil: 'domcontentloaded' });
    await specialist.signIn(staffPage);
    await staffPage.goto(`${ctx.product.base}/staff`, { waitUntil: 'domcontentloaded' });
    const row = `[data-testid="consultation-row"][data-id="${id}"]`;
    await staffPage.waitForSelector(row, { timeout: 15_000 });
    expect(await staffPage.$eval(row, (el) => el.textContent ?? '')).toContain('Анна Сергеевна К.');
    expect(await staffPage.$(`${row} [data-testid="consultation-answer-flag"]`)).not.toBeNull();
    await screenshot(staffPage, 'staff-list-desktop');
    await staffPage.setViewport(PHONE);
    await settle();
    await screenshot(staffPage, 'staff-list-phone');
    expect(await checkA11y(staffPage, 'staff-list-phone')).toEqual([]);
    await staffPage.setViewport(DESKTOP);
    await staffPage.click(`${row} [data-testid="consultation-open"]`);
    await staffPage.waitForSelector('[data-testid="consultation-page"]', { timeout: 15_000 });
    await staffPage.waitForSelector('[data-testid="consultation-history"]');
    await staffPage.waitForSelector('[data-testid="consultation-notes"]');
    expect(await text(staffPage, 'consultation-answers')).toContain('Удобно в четверг после обеда');
    expect(await text(staffPage, 'consultation-history')).toContain('перенесена');
    await settle();
    await screenshot(staffPage, 'consultation-page-desktop');
    expect(await checkA11y(staffPage, 'consultation-page-desktop')).toEqual([]);
    await staffPage.setViewport(PHONE);
    await settle();
    await screenshot(staffPage, 'consultation-page-phone');
    expect(await checkA11y(staffPage, 'consultation-page-phone')).toEqual([]);
    expect(await staffPage.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)).toBe(false);
    await staffPage.browserContext().close();
  }, 120_000);

  it('the camera check says with whom, and the client may enter with the microphone and the camera off', async () => {
    const { product } = ctx;
    const link = await product.link('cp-prejoin', 'client');
    const id = product.consultationId('cp-prejoin');
    const specialist = await staffOf(product.prisma, id, 'specialist', 'Ирина Петрова');
    await product.prisma.consultationSpecialist.create({ data: { consultationId: id, specialistId: specialist.id } });
    const page = await openParticipant(ctx.browser, link, PHONE);
    await devicesChecked(page, 20_000);
    await page.waitForSelector('[data-testid="prejoin-mic-off"]', { timeout: 20_000 });
    await page.waitForSelector('[data-testid="prejoin-camera-off"]', { timeout: 20_000 });
    expect(await text(page, 'link-with-whom')).toContain('Ирина Петрова');
    await page.click('[data-testid="prejoin-mic-off"]');
    await page.click('[data-testid="prejoin-camera-off"]');
    await settle();
    const off = await page.evaluate(() => {
      const c = (window as unknown as { __roomClient?: { state: { local: { micOn: boolean; cameraOn: boolean } } } }).__roomClient;
      return c ? { mic: c.state.local.micOn, camera: c.state.local.cameraOn } : null;
    });
    expect(off).toEqual({ mic: false, camera: false });
    await screenshot(page, 'prejoin-switches-phone');
    expect(await checkA11y(page, 'prejoin-switches-phone')).toEqual([]);
    await page.browserContext().close();
  }, 60_000);
});
