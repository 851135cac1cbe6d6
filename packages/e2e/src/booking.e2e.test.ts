import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { checkA11y, type A11yViolation } from './a11y.ts';
import { PHONE, screenshot } from './browser.ts';
import { staffOf } from './staff.ts';
import { productAndBrowser } from './stack.ts';
import { applyEvent } from '../../../apps/signalling/src/consultations/lifecycle-writer.ts';

// Booking from a request on screen (profile → specialist → day → time → «Записать» → the
// client's link, its QR code and whether the invitation went out), and the head's «Сбои и
// переносы»: a technical failure set to a new time in the same slot picker, a proposed move
// approved with one click. axe-core at 1280×800 and 360×640, screenshots of each step.

const ctx = productAndBrowser();
const DESKTOP = { width: 1280, height: 800 };
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

async function look(page: Page, name: string, findings: Record<string, A11yViolation[] | string>, phone = true): Promise<void> {
  await page.setViewport(DESKTOP);
  await page.evaluate(() => window.scrollTo(0, 0));
  await settle();
  findings[`${name}@desktop`] = await checkA11y(page, `e17-${name}-desktop`);
  await screenshot(page, `e17-${name}-desktop`);
  if (!phone) return;
  await page.setViewport(PHONE);
  await page.evaluate(() => window.scrollTo(0, 0));
  await settle();
  findings[`${name}@phone`] = await checkA11y(page, `e17-${name}-phone`);
  await screenshot(page, `e17-${name}-phone`);
  if (await overflows(page)) findings[`${name}@phone-width`] = 'scrolls sideways at 360 px';
  await page.setViewport(DESKTOP);
  await settle();
}

/** Every day of this and next month, 09:00–18:00 (approved): the institution works round the clock. */
function blocks(): { date: string; start: string; end: string }[] {
  const out = [];
  const now = new Date();
  for (let i = 0; i < 62; i++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + i));
    out.push({ date: d.toISOString().slice(0, 10), start: '09:00', end: '18:00' });
  }
  return out;
}

async function pickFirstSlot(page: Page): Promise<string> {
  const day = await page.waitForSelector('[data-testid="booking-day"][data-free="true"]:not([data-outside])', { timeout: 20_000 });
  await day!.click();
  const slot = await page.waitForSelector('[data-testid="booking-slot"]', { timeout: 10_000 });
  const time = await slot!.evaluate((el) => el.getAttribute('data-time') ?? '');
  await slot!.click();
  return time;
}

describe('booking and the technical-failure list on screen', () => {
  it('a social worker books from a request; the head sets a new time after a failure and approves a move', async () => {
    const { product, browser } = ctx;
    await product.link('e17', 'client');
    const anchor = product.consultationId('e17');
    const { institutionId } = await product.prisma.consultation.findUniqueOrThrow({
      where: { id: anchor },
      select: { institutionId: true },
    });
    const specialist = await staffOf(product.prisma, anchor, 'specialist', 'Психолог Петрова');
    const worker = await staffOf(product.prisma, anchor, 'social_worker', 'Соцработник Иванова');
    const head = await staffOf(product.prisma, anchor, 'head', 'Руководитель Смирнова');
    const months = [...new Set(blocks().map((b) => b.date.slice(0, 7)))];
    for (const month of months) {
      await product.prisma.specialistMonthSchedule.create({
        data: {
          specialistId: specialist.id,
          month,
          status: 'approved',
          approvedAt: new Date(),
          blocks: { create: blocks().filter((b) => b.date.startsWith(month)) },
        },
      });
    }
    const request = await product.prisma.request.create({
      data: {
        institutionId,
        year: 2026,
        number: 17,
        receivedAt: new Date(),
        channel: 'phone',
        contact: '+7 913 000-11-22',
        fromWhom: 'Мать',
        representativeName: 'Петрова Анна',
        reason: 'Трудности в общении со сверстниками',
      },
    });
    const findings: Record<string, A11yViolation[] | string> = {};

    // --- the social worker books ---------------------------------------------------------
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
    await page.setViewport(DESKTOP);
    await page.goto(new URL('/sign-in', product.base).href, { waitUntil: 'domcontentloaded' });
    await worker.signIn(page);
    await page.goto(new URL(`/requests/${request.id}/book`, product.base).href, { waitUntil: 'networkidle0' });
    await page.click('[data-testid="booking-profession"][data-profession="psychologist"]');
    await page.waitForFunction(
      (id) => document.querySelector(`[data-testid="booking-specialist"][data-specialist-id="${id}"]`)?.textContent?.includes('есть'),
      { timeout: 20_000 },
      specialist.id,
    );
    await page.click(`[data-testid="booking-specialist"][data-specialist-id="${specialist.id}"]`);
    const time = await pickFirstSlot(page);
    expect(time).toMatch(/^\d\d:\d\d$/);
    await page.type('[data-testid="booking-client-email"]', 'not-an-address');
    await page.click('[data-testid="booking-submit"]');
    await page.waitForFunction(() => document.body.textContent?.includes('Проверьте адрес'), { timeout: 5_000 });
    await look(page, 'booking', findings);
    await page.click('[data-testid="booking-client-email"]', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.click('[data-testid="booking-submit"]');
    await page.waitForSelector('[data-testid="booking-link"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="booking-qr"]', { timeout: 10_000 });
    await page.waitForSelector('[data-testid="booking-invitation"][data-status="no_email"]', { timeout: 15_000 });
    const url = await page.$eval('[data-testid="booking-link"]', (el) => (el as HTMLInputElement).value);
    expect(url).toContain('/join/');
    await look(page, 'booking-result', findings);
    await context.close();

    const booked = await product.prisma.consultation.findFirstOrThrow({ where: { requestId: request.id } });
    expect(booked.state).toBe('planned');
    expect((await product.prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('scheduled');

    // --- a technical failure and a proposed move wait for the head --------------------------
    await applyEvent(product.prisma, booked.id, 'technical_failure', { actorId: specialist.id, at: new Date() });
    const other = await product.prisma.consultation.create({
      data: {
        institutionId,
        kind: 'one_to_one',
        direction: 'specialist_client',
        mode: 'on_request',
        start: new Date(booked.start.getTime() + 24 * 3600_000),
        durationMinutes: 30,
        specialists: { create: [{ specialistId: specialist.id }] },
        participants: { create: [{ role: 'client', displayName: 'Сидорова Ольга' }] },
        transitions: { create: { event: 'book', toState: 'planned', at: new Date() } },
      },
    });
    await product.prisma.consultationMoveProposal.create({
      data: {
        consultationId: other.id,
        proposedById: specialist.id,
        start: new Date(other.start.getTime() + 24 * 3600_000),
        durationMinutes: 30,
        reasonCategory: 'specialist_ill',
      },
    });

    const headContext = await browser.createBrowserContext();
    const hp = await headContext.newPage();
    hp.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
    await hp.setViewport(DESKTOP);
    await hp.goto(new URL('/sign-in', product.base).href, { waitUntil: 'domcontentloaded' });
    await head.signIn(hp);
    await hp.goto(new URL('/failures', product.base).href, { waitUntil: 'networkidle0' });
    await hp.waitForSelector('[data-testid="failure-row"]', { timeout: 15_000 });
    await hp.waitForSelector('[data-testid="proposal-row"]', { timeout: 15_000 });
    await look(hp, 'failures', findings);

    await hp.click('[data-testid="failure-reschedule"]');
    await pickFirstSlot(hp);
    await look(hp, 'failure-picker', findings);
    await hp.click('[data-testid="slot-confirm"]');
    await hp.waitForSelector('[data-testid="failures-empty"]', { timeout: 15_000 });
    expect((await product.prisma.consultation.findUniqueOrThrow({ where: { id: booked.id } })).state).toBe('planned');

    await hp.click('[data-testid="move-approve"]');
    await hp.waitForSelector('[data-testid="proposals-empty"]', { timeout: 15_000 });
    const moved = await product.prisma.consultation.findUniqueOrThrow({ where: { id: other.id } });
    expect([moved.changeReason, moved.start.getTime()]).toEqual(['specialist_ill', other.start.getTime() + 24 * 3600_000]);
    await look(hp, 'failures-done', findings, false);
    await headContext.close();

    const empty = Object.fromEntries(Object.keys(findings).map((k) => [k, []]));
    expect(findings).toEqual(empty);
  }, 180_000);
});
