import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { repoRoot, type StaffSeat } from './common.ts';

/** A phone-sized screen (the families often join from one). */
export const PHONE = { width: 360, height: 640 };

export const artifactsDir = resolve(repoRoot, 'packages/e2e/test-artifacts');

/** Debian's Chromium, headless, with a fake camera and microphone (no prompts). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs(extraArgs),
  });
}

/** The flags of every test browser (also the ones started in a network namespace, netem/netns.ts). */
export function chromiumArgs(extraArgs: string[] = []): string[] {
  return [
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
  ];
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

/**
 * A member of staff in a lead role: its own browser context, signed in through the real API
 * (a session cookie, as after the sign-in page), then the staff room route — as after
 * «Открыть комнату» on the staff home.
 */
export async function openStaff(browser: Browser, seat: StaffSeat, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  page.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
  await page.goto(new URL('/sign-in', seat.roomUrl).href, { waitUntil: 'domcontentloaded' });
  await seat.signIn(page);
  await page.goto(seat.roomUrl, { waitUntil: 'domcontentloaded' });
  return page;
}

/** Waits until the pre-join page has finished checking the camera and microphone (its layout is then settled). */
export async function devicesChecked(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[data-testid^="device-"][data-status="pending"]'), {
    timeout: timeoutMs,
  });
}

/**
 * Presses «Войти» as a person would: once the page has settled. If the press did not start
 * joining (the button redrawn under the pointer), it is pressed again, at most three times.
 */
export async function join(page: Page, timeoutMs = 15_000): Promise<void> {
  const selector = '[data-testid="join-button"]:not([disabled])';
  await devicesChecked(page, timeoutMs);
  for (let attempt = 1; ; attempt++) {
    const button = await page.waitForSelector(selector, { timeout: timeoutMs });
    try {
      // A press again goes to the button itself, not to where it was: had the first press worked
      // late, the waiting room's switches now sit there (a click would turn the microphone off).
      if (attempt === 1) await button!.click();
      else await button!.evaluate((b) => (b as HTMLButtonElement).click());
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 300));
      continue;
    }
    // Joining shows the button loading, then leaves the page; an unanswered press leaves it idle.
    const started = await page
      .waitForFunction(
        () => {
          const b = document.querySelector('[data-testid="join-button"]');
          return !b || b.hasAttribute('data-loading') || (b as HTMLButtonElement).disabled;
        },
        { timeout: 5_000 },
      )
      .then(() => true)
      .catch(() => false);
    if (started || attempt >= 3) return;
  }
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

/** A small landscape window for the many silent attendees of a webinar (less to draw on 2 cores). */
export const SMALL = { width: 480, height: 360 };

const sel = (testId: string) => `[data-testid="${testId}"]`;

/** The value of an attribute of the first element with this test id, or null when there is none. */
export const attr = (page: Page, testId: string, name: string): Promise<string | null> =>
  page.$eval(sel(testId), (el, n) => el.getAttribute(n), name).catch(() => null);

/** Polls a condition (in Node) until it holds. */
export async function waitUntil(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The specialist's or curator's page lets the next waiting client in: waits for an entry in
 * its waiting list and presses «Впустить». Returns the admitted participant's id.
 */
export async function admitNext(page: Page, timeoutMs = 15_000): Promise<string> {
  const entry = await page.waitForSelector(`${sel('waiting-entry')}`, { timeout: timeoutMs });
  const id = await entry!.evaluate((el) => el.getAttribute('data-peer-id'));
  if (!id) throw new Error('a waiting entry without a peer id');
  await page.click(sel(`admit-${id}`));
  return id;
}

/** Opens the side panel (a drawer on a narrow page) on one of its tabs. */
export async function openTab(page: Page, tab: 'participants' | 'chat' | 'questions' | 'materials' | 'notes' | 'registry'): Promise<void> {
  // A layout change (a new viewport) renders the panel a moment later: wait for it before
  // deciding that the panel is closed, or the toggle would close the panel that just opened.
  let tabButton = await page.waitForSelector(sel(`tab-${tab}`), { visible: true, timeout: 1_500 }).catch(() => null);
  if (!tabButton) {
    await page.click(sel('panel-toggle'));
    tabButton = await page.waitForSelector(sel(`tab-${tab}`), { visible: true, timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 400)); // the drawer slides in
  }
  await tabButton!.click();
}

/** Writes a chat line (optionally as a webinar question) and sends it. */
export async function sendChat(page: Page, text: string, question = false): Promise<void> {
  await openTab(page, 'chat');
  await page.waitForSelector(sel('chat-input'), { visible: true });
  await page.type(sel('chat-input'), text);
  if (question) await page.click(`${sel('chat-question')} input, input${sel('chat-question')}`);
  await page.click(sel('chat-send'));
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('[data-testid="chat-message"]')].some((m) => m.textContent?.includes(t)),
    {},
    text,
  );
}

/** The chat lines a page shows: text, kind and answered state. */
export function chatLines(page: Page): Promise<{ text: string; kind: string | null; answered: string | null; id: string | null }[]> {
  return page.$$eval(sel('chat-message'), (els) =>
    els.map((el) => ({
      text: el.textContent ?? '',
      kind: el.getAttribute('data-kind'),
      answered: el.getAttribute('data-answered'),
      id: el.getAttribute('data-id'),
    })),
  );
}

export interface ConsumerFigure {
  peerId: string;
  source: string;
  kind: string;
  packetsReceived: number;
  framesDecoded: number;
}

/** What a page receives, per consumer: from whom, which source, how much (through `__roomClient.getConsumerStats()`). */
export async function consumerFigures(page: Page): Promise<ConsumerFigure[]> {
  return page.evaluate(async () => {
    type Stat = Record<string, unknown> & { type: string };
    const client = (
      window as unknown as {
        __roomClient?: { getConsumerStats(): Promise<{ peerId: string; source: string; stats: Stat[] }[]> };
      }
    ).__roomClient;
    if (!client) throw new Error('window.__roomClient is missing');
    const list = await client.getConsumerStats();
    return list.map(({ peerId, source, stats }) => {
      const rtp = stats.find((s) => s.type === 'inbound-rtp');
      return {
        peerId,
        source,
        kind: String(rtp?.kind ?? (source === 'mic' ? 'audio' : 'video')),
        packetsReceived: Number(rtp?.packetsReceived ?? 0),
        framesDecoded: Number(rtp?.framesDecoded ?? 0),
      };
    });
  });
}

/**
 * Waits until the page receives every one of `peerIds` — each one's own camera picture
 * decoded (`frames` frames) and its own microphone heard (`packets` packets) — counted per
 * remote peer, so that one peer's media never stand in for another's missing ones.
 */
export async function waitForPeersMedia(
  page: Page,
  peerIds: string[],
  { frames = 20, packets = 30, timeoutMs = 20_000 }: { frames?: number; packets?: number; timeoutMs?: number } = {},
): Promise<void> {
  let last: ConsumerFigure[] = [];
  const missing = () =>
    peerIds.filter(
      (id) =>
        !last.some((c) => c.peerId === id && c.source === 'camera' && c.framesDecoded > frames) ||
        !last.some((c) => c.peerId === id && c.source === 'mic' && c.packetsReceived > packets),
    );
  await waitUntil(
    async () => {
      last = await consumerFigures(page);
      return missing().length === 0;
    },
    'the media of every peer',
    timeoutMs,
  ).catch(() => {
    throw new Error(`no picture or sound from ${missing().join(', ')}; received: ${JSON.stringify(last)}`);
  });
}

/**
 * Every inbound RTP stream of the page's receive transport (whatever the RoomClient thinks it
 * consumes), except mediasoup's bandwidth probe (`mid` 'probator', no media).
 */
export async function inboundStreams(page: Page): Promise<number> {
  return page.evaluate(async () => {
    type Stat = { type: string; mid?: string };
    const client = (window as unknown as { __roomClient?: { getStats(): Promise<{ recv: Stat[] }> } }).__roomClient;
    if (!client) throw new Error('window.__roomClient is missing');
    const { recv } = await client.getStats();
    return recv.filter((s) => s.type === 'inbound-rtp' && s.mid !== 'probator').length;
  });
}
