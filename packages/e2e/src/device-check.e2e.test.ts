import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { openParticipant, PHONE, screenshot } from './browser.ts';
import { productAndBrowser } from './stack.ts';

// The client's device check before entering, in real Chromium against the real product: the
// network test is a loopback through a probe router of the SFU with real DTLS-SRTP (a
// drawn test picture, 500 kbit/s for 5 s), its verdict — the server's, from what the SFU
// measured — is shown in plain Russian with the figures, and the result is stored with the
// consultation.

const ctx = productAndBrowser();

async function runCheck(page: Page): Promise<{ verdict: string | null; rtt: number; bitrate: number; text: string }> {
  const button = await page.waitForSelector('[data-testid="network-test-button"]:not([disabled])', { timeout: 20_000 });
  await button!.click();
  const verdict = await page.waitForSelector('[data-testid="network-verdict"]', { timeout: 40_000 });
  return {
    verdict: await verdict!.evaluate((el) => el.getAttribute('data-verdict')),
    rtt: Number(await page.$eval('[data-testid="network-figures"]', (el) => el.getAttribute('data-rtt'))),
    bitrate: Number(await page.$eval('[data-testid="network-figures"]', (el) => el.getAttribute('data-bitrate'))),
    text: await verdict!.evaluate((el) => el.textContent ?? ''),
  };
}

describe("the client's device check", () => {
  it('runs the network test against the SFU: «видео будет работать», with figures, stored with the consultation', async () => {
    const link = await ctx.product.link('device-check', 'client');
    const page = await openParticipant(ctx.browser, link);
    await page.waitForSelector('[data-testid="device-check"]', { timeout: 20_000 });
    // The microphone meter moves with the fake microphone's beeps.
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="mic-level"] [role="progressbar"]')?.getAttribute('aria-valuenow') ?? 0) > 0,
      { timeout: 15_000 },
    );
    const result = await runCheck(page);
    expect(result.verdict).toBe('video');
    expect(result.text).toContain('Видео будет работать');
    expect(result.bitrate).toBeGreaterThanOrEqual(300);
    console.info(`device check: ${result.bitrate} kbit/s, RTT ${result.rtt} ms`);
    expect(result.rtt).toBeGreaterThan(0);
    await page.$eval('[data-testid="network-verdict"]', (el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'device-check-desktop');

    const rows = await ctx.product.prisma.deviceCheck.findMany({ where: { consultationId: ctx.product.consultationId('device-check') } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ verdict: 'video', camera: true, microphone: true, path: 'udp' });
    expect(rows[0]!.bitrateKbps).toBeGreaterThanOrEqual(300);
    expect(rows[0]!.rttMs).toBeGreaterThan(0);
    // The probe is gone from the SFU; the consultation's room was never opened by it.
    expect((await ctx.product.sfu.request('roomState', { roomId: ctx.product.consultationId('device-check') })).exists).toBe(false);

    // On a phone-sized screen too.
    await page.setViewport(PHONE);
    await page.$eval('[data-testid="network-verdict"]', (el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'device-check-phone');
    // The verdict advises; the join button stays.
    expect(await page.$('[data-testid="join-button"]:not([disabled])')).not.toBeNull();
    await page.browserContext().close();
  }, 90_000);

  it('can be run ahead, during the countdown: sound and connection (a drawn test picture), stored too', async () => {
    const name = 'device-check-ahead';
    const link = await ctx.product.link(name, 'client', '', { start: new Date(Date.now() + 3 * 3600_000), state: 'planned' });
    const page = await openParticipant(ctx.browser, link, PHONE);
    await page.waitForSelector('[data-testid="link-schedule"][data-status="upcoming"]');
    await page.click('[data-testid="check-ahead"]');
    await page.waitForSelector('[data-testid="device-check"]', { timeout: 10_000 });
    const result = await runCheck(page);
    // A drawn picture may encode below the camera's rate: sound is sure, video likely.
    expect(['video', 'audio_only']).toContain(result.verdict);
    expect(result.bitrate).toBeGreaterThan(0);
    await screenshot(page, 'device-check-countdown-phone');
    const rows = await ctx.product.prisma.deviceCheck.findMany({ where: { consultationId: ctx.product.consultationId(name) } });
    expect(rows.map((r) => [r.verdict, r.camera])).toEqual([[result.verdict, false]]);
    // Still counting down: the check opened no room.
    expect(await page.$('[data-testid="countdown"]')).not.toBeNull();
    await page.browserContext().close();
  }, 90_000);
});
