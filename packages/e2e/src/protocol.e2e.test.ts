import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkA11y } from './a11y.ts';
import { join as enterRoom, openStaff, openTab, PHONE, screenshot } from './browser.ts';
import { staffOf } from './staff.ts';
import { productAndBrowser } from './stack.ts';

// The protocol on the staff consultation page, in the real product: the specialist fills it,
// adds a link and a file, saves, marks it «Протокол оформлен», changes it (version 2) and
// reads version 1 — axe-clean at a laptop's and a phone's size.

const ctx = productAndBrowser();
const DESKTOP = { width: 1280, height: 800 };
const HOUR = 3_600_000;
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const text = (page: Page, testId: string) => page.$eval(`[data-testid="${testId}"]`, (el) => el.textContent ?? '');

async function typeInto(page: Page, selector: string, value: string) {
  await page.click(selector);
  await page.keyboard.down('Control');
  await page.keyboard.press('A');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

describe('the protocol of a consultation', () => {
  it('is filled, finalized, changed as version 2, and version 1 stays readable', async () => {
    const { product } = ctx;
    await product.link('pr-page', 'client', '', { start: new Date(Date.now() - HOUR), state: 'ended', displayName: 'Анна К.' });
    const id = product.consultationId('pr-page');
    const specialist = await staffOf(product.prisma, id, 'specialist', 'Ирина Петрова');
    await product.prisma.consultationSpecialist.create({ data: { consultationId: id, specialistId: specialist.id } });
    await product.prisma.participant.create({
      data: { consultationId: id, role: 'specialist', staffUserId: specialist.id, displayName: 'Ирина Петрова' },
    });

    const page = await (await ctx.browser.createBrowserContext()).newPage();
    await page.setViewport(DESKTOP);
    await page.goto(`${product.base}/sign-in`, { waitUntil: 'domcontentloaded' });
    await specialist.signIn(page);
    await page.goto(`${product.base}/staff/consultations/${id}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid="protocol"]', { timeout: 15_000 });

    await page.type('textarea[data-testid="protocol-reason"]', 'Ребёнок не ходит в школу третью неделю');
    await page.click('[data-testid="protocol-topic"]');
    await page.waitForSelector('[role="option"]');
    const options = await page.$$('[role="option"]');
    for (const o of options) if ((await o.evaluate((el) => el.textContent)) === 'проблемы в обучении') await o.click();
    await page.type('textarea[data-testid="protocol-solution"]', 'Встреча с классным руководителем');
    await page.click('[data-testid="protocol-link-add"]');
    await page.type('[data-testid="protocol-link-title"]', 'Памятка');
    await page.type('[data-testid="protocol-link-url"]', 'ftp://example.org/a');
    await page.click('[data-testid="protocol-save"]');
    await page.waitForFunction(() => document.body.textContent?.includes('http:// или https://'), { timeout: 5000 });
    await typeInto(page, '[data-testid="protocol-link-url"]', 'https://example.org/pamyatka.pdf');
    await page.click('[data-testid="protocol-save"]');
    await page.waitForSelector('[data-testid="protocol"][data-version="1"]', { timeout: 10_000 });

    const file = join(tmpdir(), 'памятка.txt');
    writeFileSync(file, 'Телефон доверия: 8-800-2000-122\n');
    const input = await page.$('[data-testid="protocol-file-input"]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await page.waitForSelector('[data-testid="protocol-file"]', { timeout: 10_000 });
    expect(await text(page, 'protocol-files')).toContain('памятка.txt');
    await settle();
    await screenshot(page, 'protocol-draft-desktop');
    expect(await checkA11y(page, 'protocol-draft-desktop')).toEqual([]);

    await page.click('[data-testid="protocol-finalize"]');
    await page.waitForSelector('[data-testid="protocol-finalize-confirm"]');
    await page.click('[data-testid="protocol-finalize-confirm"]');
    await page.waitForSelector('[data-testid="protocol"][data-final="true"]', { timeout: 10_000 });
    await page.click('[data-testid="protocol-revise"]');
    await typeInto(
      page,
      'textarea[data-testid="protocol-solution"]',
      'Встреча с классным руководителем; повторная консультация через месяц',
    );
    await page.click('[data-testid="protocol-save"]');
    await page.waitForSelector('[data-testid="protocol"][data-version="2"]', { timeout: 10_000 });
    expect(await text(page, 'protocol-versions')).toContain('изменено: Решение и рекомендации');
    await settle();
    await screenshot(page, 'protocol-v2-desktop');
    await page.click('[data-testid="protocol-version-open-1"]');
    await page.waitForFunction(() => document.querySelector('[role="dialog"]')?.textContent?.includes('Встреча с классным руководителем'), {
      timeout: 10_000,
    });
    expect(await page.$eval('[role="dialog"]', (el) => el.textContent ?? '')).not.toContain('через месяц');
    await settle();
    await screenshot(page, 'protocol-v1-modal-desktop');
    await page.keyboard.press('Escape');
    await settle();

    await page.setViewport(PHONE);
    await settle();
    await screenshot(page, 'protocol-phone');
    expect(await checkA11y(page, 'protocol-phone')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)).toBe(false);

    const versions = await product.prisma.protocolVersion.findMany({ where: { consultationId: id }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.final, v.changedFields])).toEqual([
      [1, true, []],
      [2, true, ['solution']],
    ]);
    await page.browserContext().close();
  }, 120_000);

  it('is filled in the room: the staff side panel holds the same form, compact', async () => {
    const name = `pr-room-${Date.now()}`;
    const seat = await ctx.product.staff(name, 'specialist', '', { displayName: 'Соколова Ирина Викторовна' });
    const id = ctx.product.consultationId(name);
    const page = await openStaff(ctx.browser, seat);
    await enterRoom(page);
    await page.waitForSelector('[data-testid="leave-button"]', { timeout: 15_000 });
    await openTab(page, 'notes');
    const inRoom = '[data-testid="room-protocol"]';
    await page.waitForSelector(`${inRoom} [data-testid="protocol"]`, { timeout: 15_000 });
    await page.type(`${inRoom} textarea[data-testid="protocol-reason"]`, 'Тревога перед экзаменами');
    await page.click(`${inRoom} [data-testid="protocol-save"]`);
    await page.waitForSelector(`${inRoom} [data-testid="protocol"][data-version="1"]`, { timeout: 10_000 });
    await settle();
    await screenshot(page, 'protocol-room-desktop');
    await page.setViewport(PHONE);
    await settle(800);
    await openTab(page, 'notes');
    await page.waitForSelector(`${inRoom} [data-testid="protocol"]`, { visible: true, timeout: 10_000 });
    await settle();
    await screenshot(page, 'protocol-room-phone');
    const v = await ctx.product.prisma.protocolVersion.findFirstOrThrow({ where: { consultationId: id } });
    expect([v.version, v.final, v.reason]).toEqual([1, false, 'Тревога перед экзаменами']);
    await page.browserContext().close();
  }, 120_000);
});
