// VideoRetry: video paused for bandwidth is tried again by raising a receive transport's
// outgoing floor for a moment, with a growing pause between tries while they fail. The floor
// is set on a real mediasoup WebRtcTransport (the worker refuses a floor it cannot take); the
// clock is a manual one, so the schedule is read exactly.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import {
  FALLBACK_FLOOR_BPS,
  floorFor,
  RETRY_FIRST_MS,
  RETRY_HOLD_MS,
  RETRY_MAX_MS,
  VideoRetry,
  type RetryTimers,
} from '../src/video-retry.ts';

let worker: types.Worker;
let router: types.Router;
beforeAll(async () => {
  if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
  worker = await mediasoup.createWorker({ workerBin: process.env.MEDIASOUP_WORKER_BIN, logLevel: 'error' });
  router = await worker.createRouter({ mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }] });
});
afterAll(() => worker?.close());

/** Timers run by hand: `advance` fires what falls due, in order. */
class ManualClock implements RetryTimers {
  private t = 0;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private n = 0;
  now = () => this.t;
  set = (fn: () => void, ms: number) => {
    const id = ++this.n;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  };
  clear = (id: unknown) => {
    this.queue = this.queue.filter((q) => q.id !== id);
  };
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const due = this.queue[0];
      if (!due || due.at > end) break;
      this.queue.shift();
      this.t = due.at;
      due.fn();
      await new Promise((r) => setTimeout(r, 20)); // the floor request's round trip to the worker
    }
    this.t = end;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A real transport whose floor changes are also written down with the clock's time. */
async function recordedTransport(clock: ManualClock) {
  const transport = await router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] });
  const floors: [number, number][] = [];
  return {
    transport,
    floors,
    floorTransport: {
      get closed() {
        return transport.closed;
      },
      async setMinOutgoingBitrate(bitrate: number) {
        await transport.setMinOutgoingBitrate(bitrate);
        floors.push([clock.now(), bitrate]);
      },
    },
  };
}

/** The paused video's lowest layer at its base frame rate sends 96 kbit/s: the floor is a quarter more. */
const baseLayer = async () => 96_000;
const FLOOR = 120_000;

describe('the floor of a retry', () => {
  it('is what the lowest layer sends now and a quarter more, at least 100 kbit/s and within the layer’s budget', () => {
    expect(floorFor(96_000)).toBe(FLOOR);
    expect(floorFor(40_000)).toBe(FALLBACK_FLOOR_BPS);
    expect(floorFor(400_000)).toBe(190_000);
    // Not known yet (no stats from the sender): a middle figure.
    expect(floorFor(undefined)).toBe(FALLBACK_FLOOR_BPS);
    expect(floorFor(0)).toBe(FALLBACK_FLOOR_BPS);
  });
});

describe('video paused for bandwidth is tried again', () => {
  it('raises the floor for a moment after 20 s, then 40 and at most every 60 s while the link stays weak', async () => {
    const clock = new ManualClock();
    const { floors, floorTransport, transport } = await recordedTransport(clock);
    const retry = new VideoRetry(floorTransport, baseLayer, clock);
    retry.noLayer('v1', true);
    await clock.advance(RETRY_FIRST_MS - 1);
    expect(floors).toEqual([]);
    await clock.advance(1);
    expect(floors).toEqual([[RETRY_FIRST_MS, FLOOR]]);
    await clock.advance(RETRY_HOLD_MS);
    expect(floors.at(-1)).toEqual([RETRY_FIRST_MS + RETRY_HOLD_MS, 0]);
    // Each failed try doubles the wait, up to the cap.
    await clock.advance(200_000);
    const raised = floors.filter(([, b]) => b === FLOOR).map(([t]) => t);
    const gaps = raised.slice(1).map((t, i) => t - raised[i]! - RETRY_HOLD_MS);
    expect(gaps).toEqual([40_000, RETRY_MAX_MS, RETRY_MAX_MS]);
    // Every raise is released again.
    expect(floors.filter(([, b]) => b === 0).length).toBe(raised.length);
    retry.close();
    transport.close();
  });

  it('a layer back stops the tries; kept for 30 s, the next pause starts again at 20 s', async () => {
    const clock = new ManualClock();
    const { floors, floorTransport, transport } = await recordedTransport(clock);
    const retry = new VideoRetry(floorTransport, baseLayer, clock);
    retry.noLayer('v1', true);
    await clock.advance(RETRY_FIRST_MS + RETRY_HOLD_MS); // one try, released
    retry.noLayer('v1', false); // the try worked: the layers climb
    await clock.advance(100_000);
    expect(retry.retries).toBe(1);
    retry.noLayer('v1', true); // a new weak spell long after
    await clock.advance(RETRY_FIRST_MS);
    expect(retry.retries).toBe(2);
    expect(floors.filter(([, b]) => b === FLOOR).length).toBe(2);
    retry.close();
    transport.close();
  });

  it('two paused videos share one schedule; tries go on until both have a layer; closing stops them', async () => {
    const clock = new ManualClock();
    const { floorTransport, transport } = await recordedTransport(clock);
    const retry = new VideoRetry(floorTransport, baseLayer, clock);
    retry.noLayer('v1', true);
    retry.noLayer('v2', true);
    await clock.advance(RETRY_FIRST_MS + RETRY_HOLD_MS);
    expect(retry.retries).toBe(1);
    retry.noLayer('v1', false);
    await clock.advance(2 * RETRY_FIRST_MS);
    expect(retry.retries).toBe(2); // v2 still without a layer
    retry.close();
    await clock.advance(RETRY_MAX_MS * 3);
    expect(retry.retries).toBe(2);
    transport.close();
  });

  it('a paused consumer (audio only) is no reason to try: the schedule is dropped', async () => {
    const clock = new ManualClock();
    const { floorTransport, transport } = await recordedTransport(clock);
    const retry = new VideoRetry(floorTransport, baseLayer, clock);
    retry.noLayer('v1', true);
    retry.noLayer('v1', false); // the person chose «Только звук»: mediasoup reports no layer, not for the link
    await clock.advance(RETRY_MAX_MS);
    expect(retry.retries).toBe(0);
    retry.close();
    transport.close();
  });
});
