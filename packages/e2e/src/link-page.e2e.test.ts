import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { openParticipant, PHONE, screenshot } from './browser.ts';
import { productAndBrowser } from './stack.ts';

// The client's link before, at and after its consultation (real server, real database).

const ctx = productAndBrowser();

const status = (page: Page) => page.$eval('[data-testid="link-schedule"]', (el) => el.getAttribute('data-status'));

describe("a client's link", () => {
  it('counts down before the start, then offers the preview and the room by itself', async () => {
    const start = new Date(Date.now() + 6000);
    const page = await openParticipant(ctx.browser, await ctx.product.link('link-soon', 'client', '', { start, state: 'planned' }), PHONE);
    await page.waitForSelector('[data-testid="countdown"]', { timeout: 10_000 });
    expect(await status(page)).toBe('upcoming');
    expect(await page.$eval('[data-testid="countdown"]', (el) => el.textContent)).toMatch(/Вход откроется через 0 мин \d{2} с/);
    expect(await page.$('[data-testid="join-button"]')).toBeNull(); // no room before T
    await screenshot(page, 'link-countdown-phone');
    // At T the page moves on without a reload.
    await page.waitForSelector('[data-testid="join-button"]:not([disabled])', { timeout: 20_000 });
    await page.click('[data-testid="join-button"]');
    // A client waits for the specialist in the waiting room (nobody has let it in yet).
    await page.waitForSelector('[data-testid="waiting-room"]', { timeout: 15_000 });
    await page.browserContext().close();
  }, 60_000);

  it('says when a consultation is over or cancelled, and when a link is not valid', async () => {
    const over = await openParticipant(
      ctx.browser,
      await ctx.product.link('link-over', 'client', '', { start: new Date(Date.now() - 2 * 3600_000) }),
      PHONE,
    );
    await over.waitForSelector('[data-testid="link-schedule"]');
    expect(await status(over)).toBe('over');
    expect(await over.$eval('h1', (el) => el.textContent)).toBe('Консультация завершилась');
    // After the end the link page leads to the feedback form.
    expect(await over.$eval('[data-testid="link-feedback"]', (el) => el.getAttribute('href'))).toMatch(/^\/join\/[^/]+\/feedback$/);

    const cancelled = await openParticipant(
      ctx.browser,
      await ctx.product.link('link-cancelled', 'client', '', { start: new Date(Date.now() + 3600_000), state: 'cancelled' }),
      PHONE,
    );
    await cancelled.waitForSelector('[data-testid="link-schedule"]');
    expect(await status(cancelled)).toBe('cancelled');
    // A cancelled consultation is not «назначена»: the page says when it was set for.
    const cancelledText = await cancelled.$eval('[data-testid="link-schedule"]', (el) => el.textContent ?? '');
    expect(cancelledText).not.toContain('Консультация назначена');
    expect(cancelledText).toContain('Была назначена на');
    await screenshot(cancelled, 'link-cancelled-phone');

    const forged = await openParticipant(
      ctx.browser,
      `${ctx.product.url.replace('127.0.0.1', 'localhost')}/join/eyJ2IjoxfQ.bm90LWEtbWFj`,
      PHONE,
    );
    await forged.waitForSelector('[data-testid="link-schedule"]');
    expect(await status(forged)).toBe('invalid');
    expect(await forged.$eval('h1', (el) => el.textContent)).toBe('Ссылка не работает');

    // A genuine link past its validity, and one that staff revoked, each say so.
    const expired = await openParticipant(
      ctx.browser,
      await ctx.product.link('link-expired', 'client', '', { linkExpiresAt: new Date(Date.now() - 60_000) }),
      PHONE,
    );
    await expired.waitForSelector('[data-testid="link-schedule"]');
    expect(await status(expired)).toBe('expired');
    expect(await expired.$eval('h1', (el) => el.textContent)).toBe('Срок действия ссылки истёк');

    const revokedLink = await ctx.product.link('link-revoked', 'client');
    await ctx.product.prisma.participant.updateMany({
      where: { consultationId: ctx.product.consultationId('link-revoked') },
      data: { linkRevokedAt: new Date() },
    });
    const revoked = await openParticipant(ctx.browser, revokedLink, PHONE);
    await revoked.waitForSelector('[data-testid="link-schedule"]');
    expect(await status(revoked)).toBe('revoked');
    expect(await revoked.$eval('h1', (el) => el.textContent)).toBe('Ссылка отозвана');
    expect(await revoked.$('[data-testid="join-button"]')).toBeNull();
    await screenshot(revoked, 'link-revoked-phone');
    for (const p of [over, cancelled, forged, expired, revoked]) await p.browserContext().close();
  }, 60_000);
});
