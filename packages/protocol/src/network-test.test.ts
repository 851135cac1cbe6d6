import { describe, expect, it } from '@jest/globals';
import { clientRequests, networkVerdict, VERDICT_THRESHOLDS, type NetworkFigures } from './index.ts';

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
    expect(finish.safeParse({ ...ok, figures: { ...ok.figures, lossPct: 140 } }).success).toBe(false);
    expect(finish.safeParse({ ...ok, figures: { ...ok.figures, path: 'carrier-pigeon' } }).success).toBe(false);
  });
});
