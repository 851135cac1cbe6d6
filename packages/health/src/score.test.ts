import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { meanOpinionScore, qualityScore, roomScore, type ScoreInput } from './score.ts';

const good: ScoreInput = { lossPercent: 0, rttMs: 20, jitterMs: 2, iceState: 'connected', hasMedia: true };
const score = (over: Partial<ScoreInput>) => qualityScore({ ...good, ...over });

describe('qualityScore (ITU-T G.107 E-model)', () => {
  it('rates a perfect network close to 5, with one decimal', () => {
    const s = score({ lossPercent: 0, rttMs: 0, jitterMs: 0 });
    expect(s).toBeGreaterThanOrEqual(4.8);
    expect(s).toBeLessThanOrEqual(5);
    expect(Math.round(s * 10) / 10).toBe(s);
  });

  it('rates 5 % loss clearly below 1 %', () => {
    // The E-model takes 2.5 R points per % lost: 1 % → 4.8, 5 % → 4.3, 10 % → 3.5.
    expect(score({ lossPercent: 5 })).toBeLessThanOrEqual(score({ lossPercent: 1 }) - 0.4);
    expect(score({ lossPercent: 10 })).toBeLessThan(score({ lossPercent: 5 }) - 0.5);
  });

  it('rates 400 ms RTT below 50 ms', () => {
    expect(score({ rttMs: 400 })).toBeLessThan(score({ rttMs: 50 }));
  });

  it('rates a hopeless network 0', () => {
    expect(score({ lossPercent: 60, rttMs: 2_000, jitterMs: 500 })).toBe(0);
  });

  it('never rises with more loss or more RTT, and stays within 0..5', () => {
    const pct = fc.double({ min: 0, max: 100, noNaN: true });
    const ms = fc.double({ min: 0, max: 5_000, noNaN: true });
    fc.assert(
      fc.property(pct, pct, ms, ms, ms, (lossA, lossB, rttA, rttB, jitterMs) => {
        const [lossLow, lossHigh] = lossA <= lossB ? [lossA, lossB] : [lossB, lossA];
        const [rttLow, rttHigh] = rttA <= rttB ? [rttA, rttB] : [rttB, rttA];
        expect(score({ lossPercent: lossHigh, rttMs: rttLow, jitterMs })).toBeLessThanOrEqual(
          score({ lossPercent: lossLow, rttMs: rttLow, jitterMs }),
        );
        expect(score({ lossPercent: lossLow, rttMs: rttHigh, jitterMs })).toBeLessThanOrEqual(
          score({ lossPercent: lossLow, rttMs: rttLow, jitterMs }),
        );
        const s = score({ lossPercent: lossA, rttMs: rttA, jitterMs });
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(5);
      }),
    );
  });

  it('keeps MOS within 1..4.5 and monotonic in R', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 150, noNaN: true }), fc.double({ min: -50, max: 150, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(meanOpinionScore(lo)).toBeLessThanOrEqual(meanOpinionScore(hi));
        expect(meanOpinionScore(a)).toBeGreaterThanOrEqual(1);
        expect(meanOpinionScore(a)).toBeLessThanOrEqual(4.5);
      }),
    );
  });

  it('gives 0 when ICE has failed or closed, and at most 1 when disconnected', () => {
    expect(score({ iceState: 'failed' })).toBe(0);
    expect(score({ iceState: 'closed' })).toBe(0);
    expect(score({ iceState: 'disconnected' })).toBe(1);
    expect(score({ iceState: 'disconnected', lossPercent: 40 })).toBeLessThan(1);
    expect(score({ iceState: 'completed' })).toBe(score({ iceState: 'connected' }));
  });

  it('gives the network-only score before any media flows', () => {
    expect(score({ hasMedia: false })).toBe(score({ hasMedia: true }));
    expect(score({ hasMedia: false, lossPercent: 10 })).toBeLessThan(score({ hasMedia: false }));
  });
});

describe('roomScore', () => {
  it('is the lowest participant score, 5 when empty', () => {
    expect(roomScore([])).toBe(5);
    expect(roomScore([{ score: 4.2 }, { score: 1.3 }, { score: 3 }])).toBe(1.3);
  });
});
