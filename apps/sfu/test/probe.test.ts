// Network-test probes: a router of their own, closed by the SFU after their lifetime
// whatever signalling does, at most NETWORK_TEST.maxConcurrentPerLink per link at once,
// and left out of the rooms the health dashboard lists.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { NETWORK_TEST } from '@dp/protocol';
import { loadSfuConfig, startSfuNode, type SfuNode } from '../src/index.ts';

describe('network-test probes', () => {
  let node: SfuNode;
  beforeAll(async () => {
    if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
    node = await startSfuNode(
      loadSfuConfig({
        SFU_RPC_SECRET: 'sfu-test-secret-0123456789',
        SFU_RPC_PORT: '0',
        SFU_WORKERS: '1',
        SFU_LISTEN_IP: '127.0.0.1',
        SFU_RTC_PORT: '22100',
        MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
      }),
      pino({ level: 'silent' }),
    );
  });
  afterAll(() => node?.close());

  it('opens a probe with transports, reports empty stats, and closes it after its lifetime', async () => {
    const h = node.service.handlers;
    const LIFETIME_MS = 300;
    const before = performance.now();
    const opened = await h.openProbe({ roomId: 'probe-1', key: 'participant-1', lifetimeMs: LIFETIME_MS }, 't');
    expect(opened.rtpCapabilities.codecs?.length).toBeGreaterThan(0);
    const t = await h.createWebRtcTransport({ roomId: 'probe-1', peerId: 'p', direction: 'send', forceTcp: false }, 't');
    expect(t.iceCandidates.length).toBeGreaterThan(0);
    // Nothing sent, nothing connected: the SFU has measured nothing.
    expect(await h.probeStats({ roomId: 'probe-1' }, 't')).toEqual({ at: expect.any(Number), arrived: null, returned: null, path: null });
    expect(node.service.probeCount()).toBe(1);
    expect(node.service.roomCount()).toBe(0);
    expect((await h.stats({}, 't')).rooms).toEqual([]);
    // Closed by the SFU's own timer once its lifetime is over (not before): polled, not slept for.
    while (node.service.probeCount() > 0) {
      if (performance.now() - before > 10 * LIFETIME_MS) throw new Error('the probe outlived its lifetime');
      await new Promise((r) => setTimeout(r, 20));
    }
    // Node's timers may run a millisecond short of their delay on this clock.
    expect(performance.now() - before).toBeGreaterThanOrEqual(LIFETIME_MS - 2);
    expect((await h.roomState({ roomId: 'probe-1' }, 't')).exists).toBe(false);
    await expect(h.probeStats({ roomId: 'probe-1' }, 't')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses more than the limit per link at once, and frees the place on close', async () => {
    const h = node.service.handlers;
    const ids = Array.from({ length: NETWORK_TEST.maxConcurrentPerLink }, (_, i) => `probe-lim-${i}`);
    for (const roomId of ids) await h.openProbe({ roomId, key: 'participant-2', lifetimeMs: 10_000 }, 't');
    await expect(h.openProbe({ roomId: 'probe-lim-x', key: 'participant-2', lifetimeMs: 10_000 }, 't')).rejects.toMatchObject({
      code: 'rate_limited',
    });
    // Another link is not affected; an id in use is not reopened.
    await h.openProbe({ roomId: 'probe-other', key: 'participant-3', lifetimeMs: 10_000 }, 't');
    await expect(h.openProbe({ roomId: 'probe-other', key: 'participant-3', lifetimeMs: 10_000 }, 't')).rejects.toMatchObject({
      code: 'bad_request',
    });
    await h.closeRouter({ roomId: ids[0]! }, 't');
    await h.openProbe({ roomId: 'probe-lim-x', key: 'participant-2', lifetimeMs: 10_000 }, 't');
    for (const roomId of [...ids.slice(1), 'probe-lim-x', 'probe-other']) await h.closeRouter({ roomId }, 't');
    expect(node.service.probeCount()).toBe(0);
  });
});
