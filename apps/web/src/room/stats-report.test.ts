import { describe, expect, it } from '@jest/globals';
import { summariseStats, type StatsEntry } from './stats-report.ts';

// Stats as Chromium reports them (the fields read), two readings four seconds apart.
function recvStats(o: { bytes: number; packets: number; lost: number; relay?: boolean }): StatsEntry[] {
  return [
    { type: 'transport', id: 'T1', selectedCandidatePairId: 'CP1' },
    { type: 'candidate-pair', id: 'CP1', localCandidateId: 'L1', currentRoundTripTime: 0.085, state: 'succeeded', nominated: true },
    {
      type: 'local-candidate',
      id: 'L1',
      candidateType: o.relay ? 'relay' : 'host',
      protocol: 'udp',
      relayProtocol: o.relay ? 'tcp' : undefined,
    },
    {
      type: 'inbound-rtp',
      id: 'A',
      kind: 'audio',
      bytesReceived: o.bytes / 10,
      packetsReceived: o.packets / 2,
      packetsLost: o.lost,
      jitter: 0.012,
      nackCount: 0,
    },
    {
      type: 'inbound-rtp',
      id: 'V',
      kind: 'video',
      bytesReceived: o.bytes,
      packetsReceived: o.packets / 2,
      packetsLost: 0,
      framesPerSecond: 24,
      frameWidth: 640,
      frameHeight: 360,
      nackCount: 3,
      pliCount: 2,
      firCount: 0,
    },
    { type: 'inbound-rtp', id: 'P', kind: 'video', mid: 'probator', bytesReceived: 9_999_999, packetsReceived: 5_000, packetsLost: 900 },
  ];
}
const sendStats = (bytes: number): StatsEntry[] => [{ type: 'outbound-rtp', id: 'O', kind: 'video', bytesSent: bytes }];

describe('summariseStats', () => {
  it('the first reading has no rates yet, but path, RTT, jitter and the picture are known', () => {
    const { report } = summariseStats(sendStats(1000), recvStats({ bytes: 100_000, packets: 1000, lost: 0 }), 'connected', null, 0);
    expect(report).toMatchObject({ iceState: 'connected', path: 'udp', sendBitrate: 0, recvBitrate: 0, recvLossPercent: 0 });
    expect(report).toMatchObject({ rttMs: 85, jitterMs: 12, fps: 24, frameWidth: 640, frameHeight: 360, nackCount: 3, pliCount: 2 });
  });

  it('turns counters into rates against the previous reading, and leaves the bandwidth probe out', () => {
    const first = summariseStats(sendStats(0), recvStats({ bytes: 0, packets: 0, lost: 0 }), 'connected', null, 0);
    // 4 s later: 400 000 video bytes + 40 000 audio bytes received, 200 000 sent; 20 of 1000 packets lost.
    const { report } = summariseStats(
      sendStats(200_000),
      recvStats({ bytes: 400_000, packets: 980, lost: 20 }),
      'connected',
      first.counters,
      4000,
    );
    expect(report.recvBitrate).toBe(880_000);
    expect(report.sendBitrate).toBe(400_000);
    expect(report.recvLossPercent).toBeCloseTo(2, 5);
  });

  it('says relay for a TURN path and passes on a disconnected state; an unknown state reads as new', () => {
    expect(summariseStats([], recvStats({ bytes: 0, packets: 0, lost: 0, relay: true }), 'disconnected', null, 0).report).toMatchObject({
      path: 'relay',
      relayProtocol: 'tcp',
      iceState: 'disconnected',
    });
    expect(summariseStats([], recvStats({ bytes: 0, packets: 0, lost: 0 }), 'connected', null, 0).report.relayProtocol).toBeUndefined();
    expect(summariseStats([], [], 'something', null, 0).report).toMatchObject({ path: 'unknown', iceState: 'new', fps: 0 });
  });

  it('passes on the uplink estimate and the worst limitation over the camera’s layers', () => {
    const send: StatsEntry[] = [
      { type: 'transport', id: 'T2', selectedCandidatePairId: 'CP2' },
      {
        type: 'candidate-pair',
        id: 'CP2',
        localCandidateId: 'L2',
        availableOutgoingBitrate: 183_456.7,
        state: 'succeeded',
        nominated: true,
      },
      { type: 'outbound-rtp', id: 'O0', kind: 'video', bytesSent: 1, qualityLimitationReason: 'none' },
      { type: 'outbound-rtp', id: 'O1', kind: 'video', bytesSent: 1, qualityLimitationReason: 'bandwidth' },
      { type: 'outbound-rtp', id: 'O2', kind: 'video', bytesSent: 1, qualityLimitationReason: 'cpu' },
      { type: 'outbound-rtp', id: 'OA', kind: 'audio', bytesSent: 1 },
    ];
    const { report } = summariseStats(send, recvStats({ bytes: 0, packets: 0, lost: 0 }), 'connected', null, 0);
    expect(report).toMatchObject({ sendEstimate: 183_457, sendLimitation: 'bandwidth' });
    const cpuOnly = send.filter((s) => s.id !== 'O1');
    expect(summariseStats(cpuOnly, [], 'connected', null, 0).report.sendLimitation).toBe('cpu');
    // Nothing sent (audio-only, no pair yet): neither figure.
    expect(summariseStats([], [], 'connected', null, 0).report).not.toHaveProperty('sendEstimate');
    expect(summariseStats([], [], 'connected', null, 0).report).not.toHaveProperty('sendLimitation');
  });
});
