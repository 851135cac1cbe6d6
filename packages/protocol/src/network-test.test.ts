import { describe, expect, it } from '@jest/globals';
import { clientRequests, networkVerdict, probeFigures, VERDICT_THRESHOLDS, type NetworkFigures, type ProbeSample } from './index.ts';

const f = (rttMs: number | null, lossPct: number | null, bitrateKbps: number | null): NetworkFigures => ({
  rttMs,
  lossPct,
  bitrateKbps,
  path: 'udp',
});

describe('networkVerdict', () => {
  const v = VERDICT_THRESHOLDS.video;
  const a = VERDICT_THRESHOLDS.audio_only;

  it('video on a good link, including exactly at the bitrate threshold', () => {
    expect(networkVerdict(f(40, 0, 480))).toBe('video');
    expect(networkVerdict(f(v.maxRttMs - 1, v.maxLossPct - 0.1, v.minBitrateKbps))).toBe('video');
    expect(networkVerdict(f(40, null, 480))).toBe('video'); // loss not measured: not held against it
  });

  it('audio only when any one of the video figures misses', () => {
    expect(networkVerdict(f(40, 0, v.minBitrateKbps - 1))).toBe('audio_only');
    expect(networkVerdict(f(40, v.maxLossPct, 480))).toBe('audio_only');
    expect(networkVerdict(f(v.maxRttMs, 0, 480))).toBe('audio_only');
    expect(networkVerdict(f(900, 15, a.minBitrateKbps))).toBe('audio_only');
  });

  it('no connection below the audio figures or without a media path', () => {
    expect(networkVerdict(f(40, 0, a.minBitrateKbps - 1))).toBe('no_connection');
    expect(networkVerdict(f(40, a.maxLossPct, 480))).toBe('no_connection');
    expect(networkVerdict(f(a.maxRttMs, 0, 480))).toBe('no_connection');
    expect(networkVerdict(f(null, null, null))).toBe('no_connection');
    expect(networkVerdict(f(40, 0, 0))).toBe('no_connection');
    expect(networkVerdict(f(null, 0, 480))).toBe('no_connection');
  });

  it('the thresholds are ordered (video is stricter than audio in every figure)', () => {
    expect(v.minBitrateKbps).toBeGreaterThan(a.minBitrateKbps);
    expect(v.maxLossPct).toBeLessThan(a.maxLossPct);
    expect(v.maxRttMs).toBeLessThan(a.maxRttMs);
  });
});

describe("probeFigures: the figures from the SFU's own readings", () => {
  /** A reading at `at` ms: `bytes` arrived so far, with optional loss and the page's receiver-report RTT. */
  const r = (
    at: number,
    bytes: number,
    o: { lost?: number; backLost?: number; rtt?: number | null; bitrate?: number } = {},
  ): ProbeSample => ({
    at,
    arrived: { packets: Math.round(bytes / 1000), bytes, lost: o.lost ?? 0, bitrate: o.bitrate ?? 0, rttMs: null },
    returned: { packets: Math.round(bytes / 1000), bytes, lost: o.backLost ?? 0, rttMs: o.rtt ?? null },
    path: bytes > 0 ? 'udp' : null,
  });

  it('nothing read, or nothing arrived: no connection, whatever the page would claim', () => {
    expect(probeFigures([])).toEqual({ rttMs: null, lossPct: null, bitrateKbps: null, path: null });
    const silent = probeFigures([r(0, 0), r(1000, 0), r(2000, 0)]);
    expect(silent).toEqual({ rttMs: null, lossPct: null, bitrateKbps: 0, path: null });
    expect(networkVerdict(silent)).toBe('no_connection');
  });

  it('the bitrate is what arrived from the first reading that saw media on (the start-up does not count)', () => {
    // 62 500 bytes a second = 500 kbit/s, starting after a second of ICE/DTLS.
    const f = probeFigures([r(0, 0), r(1000, 10_000), r(2000, 72_500), r(3000, 135_000, { rtt: 42.4 })]);
    expect(f).toEqual({ rttMs: 42, lossPct: 0, bitrateKbps: 500, path: 'udp' });
    expect(networkVerdict(f)).toBe('video');
    // Readings may come back out of order.
    expect(probeFigures([r(3000, 135_000, { rtt: 42.4 }), r(1000, 10_000), r(2000, 72_500)])).toEqual(f);
  });

  it('shorter than a second of media: mediasoup’s own windowed bitrate', () => {
    expect(probeFigures([r(0, 0), r(500, 20_000, { bitrate: 320_000, rtt: 10 })]).bitrateKbps).toBe(320);
  });

  it('loss is the worse direction; RTT needs the page to have acknowledged the returned stream', () => {
    const up = probeFigures([r(0, 100_000), r(2000, 200_000, { lost: 10, backLost: 2, rtt: 30 })]);
    expect(up.lossPct).toBeCloseTo((10 / 210) * 100, 1);
    const back = probeFigures([r(0, 100_000), r(2000, 200_000, { lost: 1, backLost: 40, rtt: 30 })]);
    expect(back.lossPct).toBe(20);
    expect(networkVerdict(back)).toBe('no_connection');
    // Media arrived but the page never sent a receiver report back: the loop is not closed.
    const noReports = probeFigures([r(0, 100_000), r(2000, 200_000)]);
    expect(noReports.rttMs).toBeNull();
    expect(networkVerdict(noReports)).toBe('no_connection');
    // The latest reading that carried a round trip counts; a sub-millisecond loopback is 1 ms.
    expect(probeFigures([r(0, 100_000, { rtt: 80 }), r(2000, 200_000, { rtt: 0.2 })]).rttMs).toBe(1);
  });
});

describe('networkTest payloads', () => {
  it('start takes a token or a consultation, never both', () => {
    const caps = { codecs: [], headerExtensions: [] };
    const start = clientRequests.networkTestStart.payload;
    expect(start.safeParse({ token: 'x'.repeat(40), rtpCapabilities: caps }).success).toBe(true);
    expect(start.safeParse({ consultationId: 'c-1', rtpCapabilities: caps }).success).toBe(true);
    expect(start.safeParse({ token: 'x'.repeat(40), consultationId: 'c-1', rtpCapabilities: caps }).success).toBe(false);
    expect(start.safeParse({ rtpCapabilities: caps }).success).toBe(false);
  });

  it('finish refuses figures out of range', () => {
    const finish = clientRequests.networkTestFinish.payload;
    const ok = { probeId: 'p', camera: true, microphone: true, figures: { rttMs: 40, lossPct: 1, bitrateKbps: 400, path: 'udp' } };
    expect(finish.safeParse(ok).success).toBe(true);
    // The page's own figures are optional: they are information, never the verdict.
    expect(finish.safeParse({ probeId: 'p', camera: true, microphone: true }).success).toBe(true);
    expect(finish.safeParse({ ...ok, figures: { ...ok.figures, lossPct: 140 } }).success).toBe(false);
    expect(finish.safeParse({ ...ok, figures: { ...ok.figures, path: 'carrier-pigeon' } }).success).toBe(false);
  });
});
