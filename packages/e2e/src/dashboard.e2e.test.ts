import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { io, type Socket } from 'socket.io-client';
import { ROOM_NAMESPACE, type Ack } from '@dp/protocol';
import { admitNext, attr, join, openParticipant, openStaff, screenshot, waitForMedia, waitUntil } from './browser.ts';
import { productAndBrowser } from './stack.ts';
import { staffOf } from './staff.ts';

// The admins' health dashboard with real media: two Chromium pages in a one-to-one, the
// dashboard open in a third (an admin signed in with password and second factor). What
// it shows must be real — non-zero, close to what the SFU itself reports — and must move
// when the client turns its camera off.

// 100 joins in a minute by one specialist's session: far past the production budget (10 joins
// per link or staff session), raised for this test only.
const ctx = productAndBrowser(() => ({ LIMIT_JOINS_PER_LINK: '500' }));
const testId = (id: string) => `[data-testid="${id}"]`;

/** An admin of the consultation's department, signed in on `page` through the real API (password + TOTP). */
async function signInAdmin(page: Page, consultationId: string): Promise<void> {
  await (await staffOf(ctx.product.prisma, consultationId, 'admin', 'Администратор Ресурсного центра')).signIn(page);
}

const num = async (page: Page, id: string, name: string) => Number(await attr(page, id, name));

describe('the health dashboard', () => {
  it('shows live figures of two browsers that match the SFU’s own, and change when a camera goes off', async () => {
    const name = `dashboard-${Date.now()}`;
    const roomId = ctx.product.consultationId(name);
    const specialist = await openStaff(ctx.browser, await ctx.product.staff(name, 'specialist', '', { displayName: 'Соколова И. В.' }));
    const client = await openParticipant(ctx.browser, await ctx.product.link(name, 'client', '', { displayName: 'Петрова Анна' }));
    await join(specialist);
    await join(client);
    const clientId = await admitNext(specialist);
    for (const page of [specialist, client]) await waitForMedia(page, (m) => m.videoFramesDecoded > 20 && m.audioPacketsReceived > 30);

    const dashboard = await (await ctx.browser.createBrowserContext()).newPage();
    await dashboard.setViewport({ width: 1366, height: 900 });
    const base = ctx.product.url.replace('127.0.0.1', 'localhost'); // the pages' host (cookies are per host)
    await dashboard.goto(`${base}/`, { waitUntil: 'domcontentloaded' });
    await signInAdmin(dashboard, roomId);
    await dashboard.goto(`${base}/admin/health`, { waitUntil: 'domcontentloaded' });

    // The room is listed, live, with both participants; open it.
    await dashboard.waitForSelector(`${testId(`room-${roomId}`)}[data-phase="live"][data-participants="2"]`, { timeout: 20_000 });
    await dashboard.click(`[data-room-button="${roomId}"]`);
    const row = `participant-${clientId}`;
    await dashboard.waitForSelector(testId(row), { timeout: 10_000 });

    // Non-zero figures from both sides: the SFU's bitrates and the browser's own report. Video is
    // on both ways (audio alone is ~40 kbit/s): the two lower camera layers are 200 kbit/s, and
    // the top one waits for the sender's estimate to reach 800 (seen at ~500 after 30 s here).
    await waitUntil(
      async () =>
        (await num(dashboard, row, 'data-send-bitrate')) > 120_000 &&
        (await num(dashboard, row, 'data-recv-bitrate')) > 120_000 &&
        (await attr(dashboard, row, 'data-browser-report')) === 'true' &&
        (await num(dashboard, row, 'data-fps')) > 0,
      'the client’s live figures on the dashboard',
      20_000,
    );
    expect(await num(dashboard, row, 'data-frame-width')).toBeGreaterThan(0);
    expect(await attr(dashboard, row, 'data-ice-state')).toMatch(/^(connected|completed)$/);
    expect(await attr(dashboard, row, 'data-path')).toBe('udp');
    expect(await num(dashboard, row, 'data-score')).toBeGreaterThan(3);
    // The path in words, where the relay e2e reads «relay».
    expect(await attr(dashboard, `participant-path-${clientId}`, 'data-path')).toBe('udp');
    expect(await dashboard.$eval(testId(`participant-path-${clientId}`), (e) => e.textContent)).toBe('UDP напрямую');

    // What the client receives of the specialist's camera: the layer the SFU forwards, in words, and why.
    const videoIn = `${testId(`participant-quality-${clientId}`)} [data-testid^="video-in-"]`;
    const shownVideo = () =>
      dashboard
        .$eval(videoIn, (e): Record<string, string | undefined> => ({ ...(e as HTMLElement).dataset, text: e.textContent ?? '' }))
        .catch(() => null);
    let seen: Awaited<ReturnType<typeof shownVideo>> = null;
    let forwarded: { spatialLayer: number | null; layerCount: number } | undefined;
    await waitUntil(
      async () => {
        seen = await shownVideo();
        const stats = await ctx.product.sfu.request('stats', {});
        const peer = stats.rooms.find((r) => r.roomId === roomId)?.peers.find((p) => p.peerId === clientId);
        forwarded = peer?.consumers.find((c) => c.kind === 'video');
        return seen !== null && forwarded !== undefined && seen.layer === String(forwarded.spatialLayer ?? '');
      },
      'the client’s received layer on the dashboard as the SFU forwards it',
      15_000,
    ).catch(() => undefined);
    expect(forwarded?.layerCount).toBeGreaterThanOrEqual(2); // the camera is simulcast
    expect(seen).toMatchObject({ source: 'camera', layer: String(forwarded?.spatialLayer), layerCount: String(forwarded?.layerCount) });
    expect(seen!.from).not.toBe('');
    expect(seen!.quality).toMatch(/^(low|medium|high)$/);
    // «от специалиста …: высокое (640×360) Полное качество.» or a lower layer with the link's reason.
    expect(seen!.text).toMatch(/^от специалиста .+: (низкое|среднее|высокое) \(\d+×\d+\)./);
    expect(seen!.reason).not.toBe('');

    // Within tolerance of what the SFU reports at the same moment. Both are sampled every 2 s,
    // and a sender still ramping up can differ between two samples: compare again for a while.
    let sfu = await ctx.product.sfu.request('stats', {});
    let gap = Infinity;
    await waitUntil(
      async () => {
        const shown = await num(dashboard, row, 'data-send-bitrate');
        sfu = await ctx.product.sfu.request('stats', {});
        const peer = sfu.rooms.find((r) => r.roomId === roomId)!.peers.find((p) => p.peerId === clientId)!;
        const sfuSend = peer.producers.reduce((a, p) => a + p.bitrate, 0);
        gap = Math.abs(shown - sfuSend) / sfuSend;
        return gap < 0.5;
      },
      'the dashboard’s send bitrate within 50 % of the SFU’s',
      12_000,
    ).catch(() => undefined);
    expect(gap).toBeLessThan(0.5);
    const worker = sfu.workers[0]!;
    await waitUntil(async () => (await num(dashboard, `worker-${worker.pid}`, 'data-transports')) >= 4, 'the worker’s transports');
    expect(await num(dashboard, `worker-${worker.pid}`, 'data-memory')).toBeGreaterThan(0);
    await screenshot(dashboard, 'dashboard-room');

    // The client turns its camera off: its send bitrate falls to the microphone's.
    await client.click(testId('camera-toggle'));
    await waitUntil(async () => (await num(dashboard, row, 'data-send-bitrate')) < 100_000, 'the send bitrate to fall', 20_000);
    const after = await ctx.product.sfu.request('stats', {});
    const camera = after.rooms
      .find((r) => r.roomId === roomId)!
      .peers.find((p) => p.peerId === clientId)!
      .producers.find((p) => p.source === 'camera');
    expect(camera === undefined || camera.paused).toBe(true);
    // The specialist's row says why no picture comes: the sender turned the camera off.
    const specialistId = await dashboard.$eval(`[data-testid^="participant-"][data-role="specialist"]`, (e) =>
      e.getAttribute('data-testid')!.slice('participant-'.length),
    );
    const fromClient = `${testId(`participant-quality-${specialistId}`)} [data-testid^="video-in-"][data-from="${clientId}"]`;
    await dashboard.waitForSelector(`${fromClient}[data-quality="off"][data-reason="senderOff"]`, { timeout: 10_000 });
    expect(await dashboard.$eval(fromClient, (e) => e.textContent)).toContain('Отправитель выключил камеру.');
    await screenshot(dashboard, 'dashboard-camera-off');

    for (const page of [specialist, client, dashboard]) await page.browserContext().close();
  }, 120_000);

  it('stays responsive with 100 open rooms', async () => {
    // 100 rooms through the real pipeline: a specialist's socket joins each (transports on
    // the SFU, no media), so the dashboard gets 100 rooms every 2 s. One specialist takes part
    // in all of them and joins each with its session, as the staff room page does.
    const names = Array.from({ length: 100 }, (_, i) => `dashboard-load-${Date.now()}-${i}`);
    const seat = await ctx.product.staff(names[0]!, 'specialist');
    for (const name of names.slice(1)) await ctx.product.staff(name, 'specialist', '', { as: seat });
    const cookie = await seat.sessionCookie(ctx.product.url);
    const sockets: Socket[] = [];
    for (const name of names) {
      const socket = io(ctx.product.url + ROOM_NAMESPACE, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { cookie },
      });
      const ack = (await socket.timeout(10_000).emitWithAck('join', { consultationId: ctx.product.consultationId(name) })) as Ack<unknown>;
      expect(ack).toMatchObject({ ok: true });
      sockets.push(socket);
    }
    const dashboard = await (await ctx.browser.createBrowserContext()).newPage();
    await dashboard.setViewport({ width: 1366, height: 900 });
    const base = ctx.product.url.replace('127.0.0.1', 'localhost');
    await dashboard.goto(`${base}/`, { waitUntil: 'domcontentloaded' });
    await signInAdmin(dashboard, ctx.product.consultationId(names[0]!));
    // Long tasks (> 50 ms on the main thread) while the snapshots keep coming.
    await dashboard.evaluateOnNewDocument(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({
        type: 'longtask',
        buffered: true,
      });
    });
    await dashboard.goto(`${base}/admin/health`, { waitUntil: 'domcontentloaded' });
    await waitUntil(async () => Number(await attr(dashboard, 'rooms-count', 'data-rooms')) >= 100, '100 rooms on the dashboard', 20_000);
    const firstAt = await attr(dashboard, 'health-updated-at', 'data-at');
    await waitUntil(async () => (await attr(dashboard, 'health-updated-at', 'data-at')) !== firstAt, 'a fresh snapshot', 10_000);
    // Still answers a click at once: open a room, then the last one.
    const last = ctx.product.consultationId(names.at(-1)!);
    await dashboard.click(`[data-room-button="${last}"]`);
    await dashboard.waitForSelector(`${testId(`room-${last}`)}[data-selected="true"]`, { timeout: 2_000 });
    await new Promise((r) => setTimeout(r, 6_000)); // three more snapshots
    const longTasks = await dashboard.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    // The first render of 100 rows may take one long task; later snapshots must not freeze the page.
    // A guard against a freeze (a re-render of everything per snapshot takes seconds), not a speed
    // target: a loaded 2-core machine stretched a normal 200 ms task to 900 ms once. The render time
    // itself is measured by the dashboard benchmark.
    const worst = Math.max(0, ...longTasks.slice(1));
    expect(worst).toBeLessThan(2_000);
    await screenshot(dashboard, 'dashboard-100-rooms');
    for (const s of sockets) s.close();
    await dashboard.browserContext().close();
  }, 120_000);
});
