import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { checkA11y, type A11yViolation } from './a11y.ts';
import { PHONE, screenshot } from './browser.ts';
import { staffOf, type TestStaff } from './staff.ts';
import { productAndBrowser } from './stack.ts';

// The staff workspace's screens in the real product, as each role opens them: axe-core's
// WCAG 2.1 A/AA rules (no serious or critical violation) at 1280×800 and — the screens people
// use on a phone — at 360×640, no sideways scrolling on the phone, and a screenshot of each.

const ctx = productAndBrowser();
const DESKTOP = { width: 1280, height: 800 };
const settle = (ms = 500) => new Promise((r) => setTimeout(r, ms));

type Role = 'head' | 'social_worker' | 'specialist';
interface Screen {
  name: string;
  role: Role;
  path: (ids: { consultationId: string; requestId: string }) => string;
  /** Checked at the phone's size too. */
  phone: boolean;
}

const SCREENS: Screen[] = [
  { name: 'day-board', role: 'head', path: () => '/day', phone: true },
  { name: 'institution', role: 'head', path: () => '/institution', phone: false },
  { name: 'schedules', role: 'head', path: () => '/schedules', phone: false },
  { name: 'failures', role: 'head', path: () => '/failures', phone: false },
  { name: 'consultation', role: 'head', path: (i) => `/staff/consultations/${i.consultationId}`, phone: true },
  { name: 'clients', role: 'social_worker', path: () => '/clients', phone: true },
  { name: 'requests', role: 'social_worker', path: () => '/requests', phone: true },
  { name: 'booking', role: 'social_worker', path: (i) => `/requests/${i.requestId}/book`, phone: true },
  { name: 'my-day', role: 'specialist', path: () => '/day', phone: true },
  { name: 'my-schedule', role: 'specialist', path: () => '/schedules', phone: true },
];

/** The page is wider than the window (something scrolls sideways). */
const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

async function check(page: Page, name: string, phone: boolean): Promise<Record<string, A11yViolation[] | string>> {
  const found: Record<string, A11yViolation[] | string> = {};
  await page.setViewport(DESKTOP);
  await settle();
  found[`${name}@desktop`] = await checkA11y(page, `staff-${name}-desktop`);
  await screenshot(page, `staff-${name}-desktop`);
  if (phone) {
    await page.setViewport(PHONE);
    await settle();
    found[`${name}@phone`] = await checkA11y(page, `staff-${name}-phone`);
    await screenshot(page, `staff-${name}-phone`);
    if (await overflows(page)) found[`${name}@phone-width`] = 'scrolls sideways at 360 px';
  }
  return found;
}

describe('the staff workspace is accessible at a laptop and a phone size', () => {
  it('every screen, as the role that uses it, with the bell open', async () => {
    const { product, browser } = ctx;
    await product.link('staff-screens', 'client');
    const consultationId = product.consultationId('staff-screens');
    const c = await product.prisma.consultation.findUniqueOrThrow({ where: { id: consultationId }, select: { institutionId: true } });
    const request = await product.prisma.request.create({
      data: {
        institutionId: c.institutionId,
        year: 2026,
        number: 9001,
        receivedAt: new Date(),
        channel: 'phone',
        contact: '+7 913 000-11-22',
        fromWhom: 'Мать',
        representativeName: 'Петрова Анна',
        reason: 'Трудности в общении со сверстниками',
      },
    });
    const ids = { consultationId, requestId: request.id };
    const people: Record<Role, TestStaff> = {
      head: await staffOf(product.prisma, consultationId, 'head', 'Руководитель Смирнова'),
      social_worker: await staffOf(product.prisma, consultationId, 'social_worker', 'Соцработник Иванова'),
      specialist: await staffOf(product.prisma, consultationId, 'specialist', 'Психолог Петрова'),
    };
    // A consultation of the specialist later that day, for «Специалист заболел» to list.
    const stage = await product.prisma.consultation.findUniqueOrThrow({ where: { id: consultationId }, select: { start: true } });
    await product.prisma.consultation.create({
      data: {
        institutionId: c.institutionId,
        kind: 'one_to_one',
        direction: 'specialist_client',
        mode: 'on_request',
        start: new Date(stage.start.getTime() + 2 * 3_600_000),
        durationMinutes: 45,
        specialists: { create: [{ specialistId: people.specialist.id }] },
        participants: {
          create: [
            { role: 'specialist', staffUserId: people.specialist.id, displayName: 'Психолог Петрова' },
            { role: 'client', displayName: 'Сидорова Ольга' },
          ],
        },
      },
    });
    // Something for the bell to show.
    await product.prisma.staffNotice.create({ data: { recipientId: people.head.id, kind: 'technical_failure', consultationId } });

    const findings: Record<string, A11yViolation[] | string> = {};
    for (const role of ['head', 'social_worker', 'specialist'] as const) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
      await page.setViewport(DESKTOP);
      await page.goto(new URL('/sign-in', product.base).href, { waitUntil: 'domcontentloaded' });
      await people[role].signIn(page);
      for (const screen of SCREENS.filter((s) => s.role === role)) {
        await page.setViewport(DESKTOP);
        await page.goto(new URL(screen.path(ids), product.base).href, { waitUntil: 'networkidle0' });
        await page.waitForSelector('main h1', { timeout: 15_000 });
        Object.assign(findings, await check(page, screen.name, screen.phone));
      }
      if (role === 'head') {
        await page.setViewport(DESKTOP);
        await page.goto(new URL('/day', product.base).href, { waitUntil: 'networkidle0' });
        await page.click('[data-testid="notice-bell"]');
        await page.waitForSelector('[data-testid="notice-item"]', { timeout: 10_000 });
        Object.assign(findings, await check(page, 'bell', false));
        // «Специалист заболел»: the dialog with a specialist chosen and the preview shown.
        await page.goto(new URL('/day', product.base).href, { waitUntil: 'networkidle0' });
        await page.click('[data-testid="day-ill"]');
        await page.click('[data-testid="ill-specialist"]');
        await page.waitForSelector('[role="option"]', { timeout: 10_000 });
        await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('[role="option"]')].find((o) => o.textContent?.includes('Психолог Петрова'))?.click(),
        );
        await page.waitForSelector('[data-testid="ill-preview-row"]', { timeout: 10_000 });
        await settle(1_000);
        Object.assign(findings, await check(page, 'specialist-ill', true));
      }
      await context.close();
    }
    const empty = Object.fromEntries(Object.keys(findings).map((k) => [k, []]));
    expect(findings).toEqual(empty);
  }, 240_000);
});
