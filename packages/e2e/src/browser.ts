import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { repoRoot } from './stack.ts';

/** A phone-sized screen (the families often join from one). */
export const PHONE = { width: 360, height: 640 };

export const artifactsDir = resolve(repoRoot, 'packages/e2e/test-artifacts');

/** Debian's Chromium, headless, with a fake camera and microphone (no prompts). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection',
      '--autoplay-policy=no-user-gesture-required',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/** A participant: its own browser context (own cookies, own fake devices) and page. */
export async function openParticipant(browser: Browser, link: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  page.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
  await page.goto(link, { waitUntil: 'domcontentloaded' });
  return page;
}

export async function join(page: Page): Promise<void> {
  const button = await page.waitForSelector('[data-testid="join-button"]:not([disabled])', { timeout: 15_000 });
  await button!.click();
}

export interface MediaFigures {
  videoFramesDecoded: number;
  audioPacketsReceived: number;
  videoBytesSent: number;
  /** Protocol of the selected ICE candidate pair on the receive transport ('udp' | 'tcp'). */
  recvProtocol: string | undefined;
  dtlsState: string | undefined;
  srtpCipher: string | undefined;
  tlsVersion: string | undefined;
}

/** Reads the page's WebRTC statistics through `window.__roomClient.getStats()`. */
export async function mediaFigures(page: Page): Promise<MediaFigures> {
  return page.evaluate(async () => {
    type Stat = Record<string, unknown> & { type: string; id: string };
    const client = (window as unknown as { __roomClient?: { getStats(): Promise<{ send: Stat[]; recv: Stat[] }> } }).__roomClient;
    if (!client) throw new Error('window.__roomClient is missing');
    const { send, recv } = await client.getStats();
    const sum = (list: Stat[], type: string, kind: string, field: string) =>
      list.filter((s) => s.type === type && s.kind === kind).reduce((a, s) => a + (Number(s[field]) || 0), 0);
    const transport = recv.find((s) => s.type === 'transport');
    const pair =
      recv.find((s) => s.type === 'candidate-pair' && s.id === transport?.selectedCandidatePairId) ??
      recv.find((s) => s.type === 'candidate-pair' && s.nominated);
    const local = recv.find((s) => s.type === 'local-candidate' && s.id === pair?.localCandidateId);
    return {
      videoFramesDecoded: sum(recv, 'inbound-rtp', 'video', 'framesDecoded'),
      audioPacketsReceived: sum(recv, 'inbound-rtp', 'audio', 'packetsReceived'),
      videoBytesSent: sum(send, 'outbound-rtp', 'video', 'bytesSent'),
      recvProtocol: local?.protocol as string | undefined,
      dtlsState: transport?.dtlsState as string | undefined,
      srtpCipher: transport?.srtpCipher as string | undefined,
      tlsVersion: transport?.tlsVersion as string | undefined,
    };
  });
}

/** Polls until `check` holds for the page's figures; returns the last figures seen. */
export async function waitForMedia(page: Page, check: (m: MediaFigures) => boolean, timeoutMs = 20_000): Promise<MediaFigures> {
  const end = Date.now() + timeoutMs;
  let last: MediaFigures | undefined;
  while (Date.now() < end) {
    last = await mediaFigures(page).catch(() => undefined);
    if (last && check(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`media condition not met within ${timeoutMs} ms; last figures: ${JSON.stringify(last)}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = resolve(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
