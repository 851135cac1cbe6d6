import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { io } from 'socket.io-client';
import { RESUME_GRACE_MS, ROOM_NAMESPACE } from '@dp/protocol';
import { admitNext, join, mediaFigures, openParticipant, openStaff, PHONE, screenshot, waitForMedia } from './browser.ts';
import { productAndBrowser } from './stack.ts';

// Two real Chromium pages exchange real media through the real SFU (DTLS-SRTP). The client
// waits in the waiting room until the specialist lets it in (rooms-one-to-one.e2e.test.ts
// covers the waiting room itself).

const ctx = productAndBrowser();

const roomState = (name: string) => ctx.product.sfu.request('roomState', { roomId: ctx.product.consultationId(name) });

async function waitUntil(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const attr = (page: Page, testId: string, name: string) =>
  page.$eval(`[data-testid="${testId}"]`, (el, n) => el.getAttribute(n), name).catch(() => null);

async function callBothWays(roomId: string, query = ''): Promise<{ specialist: Page; client: Page }> {
  const specialist = await openStaff(ctx.browser, await ctx.product.staff(roomId, 'specialist', query));
  const client = await openParticipant(ctx.browser, await ctx.product.link(roomId, 'client', query), PHONE);
  await join(specialist);
  await join(client);
  await client.waitForSelector('[data-testid="waiting-room"]', { timeout: 15_000 });
  await admitNext(specialist);
  // Each side must decode the other's video frames and receive its audio packets.
  for (const page of [specialist, client]) {
    await waitForMedia(page, (m) => m.videoFramesDecoded > 30 && m.audioPacketsReceived > 50);
  }
  return { specialist, client };
}

describe('one-to-one consultation between two browsers', () => {
  it('exchanges audio and video over UDP with DTLS-SRTP; audio-only and leaving are seen by the other side', async () => {
    const roomId = `e2e-udp-${Date.now()}`;
    const { specialist, client } = await callBothWays(roomId);

    for (const page of [specialist, client]) {
      const m = await mediaFigures(page);
      expect(m.recvProtocol).toBe('udp');
      expect(m.dtlsState).toBe('connected');
      expect(m.srtpCipher).toMatch(/AES/);
      expect(m.tlsVersion).toBeTruthy();
    }
    await screenshot(specialist, 'one-to-one-specialist');
    await screenshot(client, 'one-to-one-client-phone');

    // The client switches to audio-only: the specialist sees it, and no video reaches the client.
    await client.click('[data-testid="audio-only-toggle"]');
    await waitUntil(
      async () => (await attr(specialist, 'remote-state', 'data-audio-only')) === 'true',
      'audio-only shown to the specialist',
    );
    await new Promise((r) => setTimeout(r, 1500)); // let in-flight frames drain
    const frozen = (await mediaFigures(client)).videoFramesDecoded;
    await new Promise((r) => setTimeout(r, 2000));
    expect((await mediaFigures(client)).videoFramesDecoded - frozen).toBeLessThanOrEqual(2);
    await screenshot(specialist, 'one-to-one-specialist-sees-audio-only');

    // …and back to video.
    await client.click('[data-testid="audio-only-toggle"]');
    await waitUntil(async () => (await attr(specialist, 'remote-state', 'data-audio-only')) === 'false', 'video again');
    await waitForMedia(client, (m) => m.videoFramesDecoded > frozen + 20);
    await waitForMedia(specialist, (m) => m.videoFramesDecoded > 0);

    // The specialist turns the camera off: the client sees it.
    await specialist.click('[data-testid="camera-toggle"]');
    await waitUntil(async () => (await attr(client, 'remote-state', 'data-camera')) === 'false', 'camera off shown to the client');
    await specialist.click('[data-testid="camera-toggle"]');
    await waitUntil(async () => (await attr(client, 'remote-state', 'data-camera')) === 'true', 'camera on again');

    // One leaves, the other sees it; when both have left the server's room is gone.
    expect((await roomState(roomId)).exists).toBe(true);
    await specialist.click('[data-testid="leave-button"]');
    await waitUntil(async () => (await attr(client, 'peer-count', 'data-count')) === '0', 'the client sees the specialist leave');
    await client.click('[data-testid="leave-button"]');
    await waitUntil(async () => !(await roomState(roomId)).exists, 'the router to be closed on the SFU');
    await specialist.browserContext().close();
    await client.browserContext().close();
  }, 120_000);

  it('works over TCP only', async () => {
    const roomId = `e2e-tcp-${Date.now()}`;
    const { specialist, client } = await callBothWays(roomId, '?tcp=1');
    for (const page of [specialist, client]) {
      const m = await mediaFigures(page);
      expect(m.recvProtocol).toBe('tcp');
      expect(m.dtlsState).toBe('connected');
    }
    // Closing the tab is a lost connection, not «Выйти»: the place is kept for the resume
    // grace (60 s, RESUME_GRACE_MS), then the room and its router go.
    await specialist.browserContext().close();
    await client.browserContext().close();
    await waitUntil(
      async () => !(await roomState(roomId)).exists,
      'the router to be closed after both tabs closed',
      RESUME_GRACE_MS + 15_000,
    );
  }, 120_000);

  it('keeps a healthy room working while another connection sends garbage', async () => {
    const roomId = `e2e-garbage-${Date.now()}`;
    const { specialist, client } = await callBothWays(roomId);
    const before = await mediaFigures(client);

    const bad = io(ctx.product.url + ROOM_NAMESPACE, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((res) => bad.once('connect', () => res()));
    const ask = (event: string, payload: unknown) =>
      bad.timeout(5000).emitWithAck(event, payload) as Promise<{ ok: boolean; error?: { code: string } }>;
    const codes = [
      (await ask('ready', { rtpCapabilities: {} })).error?.code, // out of order
      (await ask('produce', { transportId: 'x', kind: 'video', rtpParameters: { codecs: [] }, source: 'camera' })).error?.code,
      (await ask('join', { token: 'z'.repeat(80_000) })).error?.code,
      (await ask('join', { token: 'not-a-real-token-at-all' })).error?.code,
      (await ask('join', [1, 2, 3])).error?.code,
    ];
    expect(codes).toEqual(['not_joined', 'bad_request', 'payload_too_large', 'invalid_token', 'bad_request']);
    for (let i = 0; i < 200; i++) bad.emit('produce', { junk: i }); // a flood without acks
    bad.close();

    const after = await waitForMedia(client, (m) => m.videoFramesDecoded > before.videoFramesDecoded + 30);
    expect(after.audioPacketsReceived).toBeGreaterThan(before.audioPacketsReceived);
    expect((await fetch(`${ctx.product.url}/api/health`)).status).toBe(200);
    await specialist.browserContext().close();
    await client.browserContext().close();
  }, 120_000);

  it('recovers by itself when the media worker dies: both sides reconnect and see each other again', async () => {
    const roomId = `e2e-crash-${Date.now()}`;
    const { specialist, client } = await callBothWays(roomId);
    const before = await ctx.product.sfu.request('nodeInfo', {});
    process.kill(before.workers[0]!.pid, 'SIGKILL');
    // A fresh worker takes the slot, and the clients join again with their links.
    await waitUntil(
      async () => (await ctx.product.sfu.request('nodeInfo', {})).workers[0]?.pid !== before.workers[0]!.pid,
      'a replacement worker',
    );
    await waitUntil(async () => (await roomState(roomId)).transports === 4, 'both clients back on the new worker', 20_000);
    // Whoever was let in stays let in across the media loss (RoomRegistry's handover): the
    // client is not sent back to the waiting room.
    expect(await client.$('[data-testid="waiting-room"]')).toBeNull();
    for (const page of [specialist, client]) {
      await waitForMedia(page, (m) => m.videoFramesDecoded > 30 && m.audioPacketsReceived > 50, 20_000);
    }
    await specialist.browserContext().close();
    await client.browserContext().close();
  }, 120_000);
});
