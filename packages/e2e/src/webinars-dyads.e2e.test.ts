// Webinars and dyads on screen (issue 17, part H): the list, «Новый вебинар» with a pasted
// e-mail list whose bad line is named in Russian, a webinar's page with «Добавить участников»;
// «Диады» with a dyad formed of two registry clients and its history. axe-core at 1280×800
// and 360×640, no sideways scrolling on the phone, screenshots. The webinar and the dyad on
// the lists are written to the database here (this test looks at the screens; the end-to-end
// walk through them is another helper's test).
import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { checkA11y, type A11yViolation } from './a11y.ts';
import { PHONE, screenshot, waitUntil } from './browser.ts';
import { staffOf } from './staff.ts';
import { productAndBrowser } from './stack.ts';

const ctx = productAndBrowser();
const DESKTOP = { width: 1280, height: 800 };
const settle = (ms = 600) => new Promise((r) => setTimeout(r, ms));
const click = (page: Page, id: string) => page.click(`[data-testid="${id}"]`);
const wide = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

describe('webinars and dyads on screen', () => {
  it('head: webinars list, new webinar form with a bad e-mail line, a webinar page; dyads', async () => {
    const { product, browser } = ctx;
    await product.link('webinars-screens', 'client');
    const cid = product.consultationId('webinars-screens');
    const prisma = product.prisma;
    const head = await staffOf(prisma, cid, 'head', 'Руководитель Смирнова');
    const spec = await staffOf(prisma, cid, 'specialist', 'Психолог Петрова');
    const { institutionId } = await prisma.consultation.findUniqueOrThrow({ where: { id: cid }, select: { institutionId: true } });
    const client = (name: string, email: string) =>
      prisma.client.create({
        data: {
          institutionId,
          representativeName: name,
          email,
          consentMethod: 'written',
          consentAt: new Date(),
          consentRecordedById: head.id,
        },
      });
    const [a, b] = [await client('Иванова Мария Петровна', 'ivanova@example.org'), await client('Кузнецов Олег', 'kuz@example.org')];
    const webinar = await prisma.consultation.create({
      data: {
        institutionId,
        kind: 'webinar',
        direction: 'specialist_client',
        mode: 'planned',
        start: new Date(Date.now() + 3 * 86_400_000),
        durationMinutes: 45,
        note: 'Адаптация ребёнка в детском саду: советы родителям',
        openFloor: true,
        specialists: { create: [{ specialistId: spec.id }] },
        participants: {
          create: [
            { role: 'host', staffUserId: spec.id, displayName: spec.displayName },
            { role: 'attendee', displayName: a.representativeName, email: a.email },
            { role: 'attendee', displayName: 'Семья Орловых', email: 'orlovy@example.org' },
          ],
        },
      },
    });
    await prisma.dyad.create({
      data: { institutionId, client1Id: a.id, client1Motivation: 'high', client2Id: b.id, client2Motivation: 'low', curatorId: spec.id },
    });
    const found: Record<string, A11yViolation[]> = {};

    for (const [who, viewport, person] of [
      ['head', DESKTOP, head],
      ['spec', PHONE, spec],
    ] as const) {
      const bc = await browser.createBrowserContext();
      const page = await bc.newPage();
      page.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
      await page.setViewport(viewport);
      await page.goto(new URL('/sign-in', product.base).href, { waitUntil: 'domcontentloaded' });
      await person.signIn(page);
      const size = viewport === PHONE ? 'phone' : 'desktop';

      await page.goto(new URL('/webinars', product.base).href, { waitUntil: 'networkidle0' });
      await page.waitForSelector('[data-testid="webinar-row"]', { timeout: 15_000 });
      found[`${who}-list`] = await checkA11y(page, `webinars-list-${size}`);
      expect(await wide(page)).toBe(false);
      await screenshot(page, `webinars-list-${size}`);

      await click(page, 'webinar-new');
      await page.waitForSelector('[data-testid="webinar-emails"]');
      await page.type('[data-testid="webinar-topic"]', 'Как говорить с подростком');
      await page.type('[data-testid="webinar-emails"]', 'Анна Сидорова <anna@example.org>\nне адрес\nanna@example.org');
      await click(page, 'webinar-save');
      await waitUntil(async () => (await page.content()).includes('Строка 2'), 'line error shown');
      await settle();
      found[`${who}-form`] = await checkA11y(page, `webinars-form-${size}`);
      await screenshot(page, `webinars-form-${size}`);
      await page.keyboard.press('Escape');
      await settle();

      await page.goto(new URL(`/webinars/${webinar.id}`, product.base).href, { waitUntil: 'networkidle0' });
      await page.waitForSelector('[data-testid="webinar-participants"]', { timeout: 15_000 });
      await click(page, 'webinar-add-participants');
      await page.waitForSelector('[data-testid="webinar-add-emails"]');
      await settle();
      found[`${who}-add`] = await checkA11y(page, `webinars-add-${size}`);
      await screenshot(page, `webinars-add-${size}`);
      await page.keyboard.press('Escape');
      await settle();
      expect(await wide(page)).toBe(false);
      await screenshot(page, `webinars-page-${size}`);

      await page.goto(new URL('/dyads', product.base).href, { waitUntil: 'networkidle0' });
      await page.waitForSelector('[data-testid="dyad-row"]', { timeout: 15_000 });
      found[`${who}-dyads`] = await checkA11y(page, `dyads-list-${size}`);
      expect(await wide(page)).toBe(false);
      await screenshot(page, `dyads-list-${size}`);
      await click(page, 'dyad-new');
      await page.waitForSelector('[data-testid="dyad-save"]');
      await settle();
      found[`${who}-dyad-form`] = await checkA11y(page, `dyads-form-${size}`);
      await screenshot(page, `dyads-form-${size}`);
      await bc.close();
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  }, 240_000);
});
