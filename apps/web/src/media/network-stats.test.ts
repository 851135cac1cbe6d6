import { describe, expect, it } from '@jest/globals';
import { summariseProbe, type ProbeReading, type ProbeStatsEntry } from './network-stats.ts';

const pair = (rtt: number, avail?: number, candidate = 'udp'): ProbeStatsEntry[] => [
  { type: 'transport', id: 'T', selectedCandidatePairId: 'P' },
  {
    type: 'candidate-pair',
    id: 'P',
    localCandidateId: 'L',
    currentRoundTripTime: rtt,
    ...(avail ? { availableOutgoingBitrate: avail } : {}),
  },
  candidate === 'relay'
    ? { type: 'local-candidate', id: 'L', candidateType: 'relay', protocol: 'udp' }
    : { type: 'local-candidate', id: 'L', candidateType: 'host', protocol: candidate },
];
const inbound = (bytes: number, received: number, lost: number, mid = '0'): ProbeStatsEntry => ({
  type: 'inbound-rtp',
  id: `in-${mid}`,
  kind: 'video',
  mid,
  bytesReceived: bytes,
  packetsReceived: received,
  packetsLost: lost,
});

const reading = (at: number, send: ProbeStatsEntry[], recv: ProbeStatsEntry[]): ProbeReading => ({ at, send, recv });

describe('summariseProbe', () => {
  it('a good link: RTT from the pair, loss and bitrate over the window', () => {
    const first = reading(0, pair(0.03), [...pair(0.03), inbound(10_000, 100, 0)]);
    // 4 s, 250 000 bytes more = 500 kbit/s; 2 lost of 402.
    const last = reading(4000, pair(0.04, 450_000), [...pair(0.035), inbound(260_000, 500, 2)]);
    expect(summariseProbe(first, last, 500)).toEqual({ rttMs: 40, lossPct: 0.5, bitrateKbps: 500, path: 'udp' });
  });

  it('a still picture sends below the target: the congestion estimate counts, capped at the target', () => {
    const first = reading(0, [], [...pair(0.05), inbound(0, 0, 0)]);
    const last = reading(5000, pair(0.05, 2_000_000), [...pair(0.05), inbound(50_000, 200, 0)]);
    expect(summariseProbe(first, last, 500).bitrateKbps).toBe(500);
    const weak = reading(5000, pair(0.05, 180_000), [...pair(0.05), inbound(50_000, 200, 0)]);
    expect(summariseProbe(first, weak, 500).bitrateKbps).toBe(180);
  });

  it("mediasoup's probator stream is left out", () => {
    const first = reading(0, [], [...pair(0.1), inbound(0, 0, 0), inbound(0, 0, 0, 'probator')]);
    const last = reading(1000, [], [...pair(0.1), inbound(12_500, 90, 10), inbound(999_999, 999, 999, 'probator')]);
    expect(summariseProbe(first, last, 500)).toEqual({ rttMs: 100, lossPct: 10, bitrateKbps: 100, path: 'udp' });
  });

  it('without the transport pointer, the nominated pair carrying the traffic is the selected one; RTT the worse of latest and average', () => {
    const pairs: ProbeStatsEntry[] = [
      {
        type: 'candidate-pair',
        id: 'old',
        nominated: true,
        state: 'succeeded',
        bytesSent: 10_000,
        localCandidateId: 'L',
        currentRoundTripTime: 0.3,
      },
      {
        type: 'candidate-pair',
        id: 'live',
        nominated: true,
        state: 'succeeded',
        bytesSent: 900_000,
        localCandidateId: 'L',
        currentRoundTripTime: 0,
        totalRoundTripTime: 0.003,
        responsesReceived: 5,
        availableOutgoingBitrate: 1_090_000,
      },
      { type: 'local-candidate', id: 'L', candidateType: 'host', protocol: 'udp' },
    ];
    const first = reading(0, pairs, [inbound(0, 0, 0)]);
    const last = reading(4000, pairs, [inbound(100_000, 200, 0)]);
    // 0.6 ms on loopback reads 1 ms; the estimate of the live pair (capped) gives the bitrate.
    expect(summariseProbe(first, last, 500)).toEqual({ rttMs: 1, lossPct: 0, bitrateKbps: 500, path: 'udp' });
  });

  it('tcp and relay paths', () => {
    const r = (c: string) => reading(1000, [], [...pair(0.2, undefined, c), inbound(1000, 10, 0)]);
    expect(summariseProbe(reading(0, [], []), r('tcp'), 500).path).toBe('tcp');
    expect(summariseProbe(reading(0, [], []), r('relay'), 500).path).toBe('relay');
  });

  it('nothing came back: bitrate 0 whatever the sender estimates; no pair at all: no figures', () => {
    const first = reading(0, [], []);
    const last = reading(5000, pair(0.05, 1_000_000), pair(0.05));
    expect(summariseProbe(first, last, 500)).toMatchObject({ bitrateKbps: 0, lossPct: null, rttMs: 50 });
    expect(summariseProbe(first, reading(5000, [], []), 500)).toEqual({ rttMs: null, lossPct: null, bitrateKbps: null, path: null });
  });
});
