import { describe, expect, it } from '@jest/globals';
import type { ClientStatsReport, SfuConsumerStats, SfuPeerStats, SfuProducerStats, SfuTransportStats } from '@dp/protocol';
import { BROWSER_REPORT_MAX_AGE_MS, layersArriving, mergeParticipant } from './merge.ts';
import { qualityScore } from './score.ts';

const now = 1_800_000_000_000;

const transport = (over: Partial<SfuTransportStats> = {}): SfuTransportStats => ({
  transportId: 'tr-recv',
  direction: 'recv',
  iceState: 'connected',
  dtlsState: 'connected',
  protocol: 'udp',
  recvBitrate: 0,
  sendBitrate: 0,
  availableOutgoingBitrate: null,
  ...over,
});

const producer = (over: Partial<SfuProducerStats> = {}): SfuProducerStats => ({
  producerId: 'prod-1',
  kind: 'video',
  source: 'camera',
  paused: false,
  bitrate: 500_000,
  lossPercent: 0,
  jitterMs: 4,
  nackCount: 1,
  pliCount: 1,
  firCount: 0,
  score: 10,
  layers: [over.bitrate ?? 500_000],
  ...over,
});

const consumer = (over: Partial<SfuConsumerStats> = {}): SfuConsumerStats => ({
  consumerId: 'cons-1',
  producerId: 'prod-x',
  kind: 'video',
  paused: false,
  bitrate: 800_000,
  lossPercent: 0,
  rttMs: 30,
  nackCount: 2,
  pliCount: 0,
  firCount: 0,
  score: 10,
  spatialLayer: 2,
  temporalLayer: 2,
  layerCount: 3,
  preferredSpatialLayer: 2,
  priority: 1,
  producerScore: 10,
  ...over,
});

const peer = (over: Partial<SfuPeerStats> = {}): SfuPeerStats => ({
  peerId: 'peer-1',
  transports: [transport({ transportId: 'tr-send', direction: 'send', protocol: 'tcp' }), transport()],
  producers: [producer(), producer({ producerId: 'prod-2', kind: 'audio', source: 'mic', bitrate: 40_000 })],
  consumers: [consumer(), consumer({ consumerId: 'cons-2', kind: 'audio', bitrate: 30_000, spatialLayer: null })],
  ...over,
});

const report = (over: Partial<ClientStatsReport> = {}): ClientStatsReport => ({
  iceState: 'connected',
  path: 'relay',
  sendBitrate: 510_000,
  recvBitrate: 900_000,
  recvLossPercent: 0.5,
  rttMs: 45,
  jitterMs: 7,
  fps: 30,
  frameWidth: 1280,
  frameHeight: 720,
  nackCount: 0,
  pliCount: 0,
  firCount: 0,
  ...over,
});

const fresh = (over: Partial<ClientStatsReport> = {}) => ({ report: report(over), at: now - 1_000 });
const stale = (over: Partial<ClientStatsReport> = {}) => ({ report: report(over), at: now - BROWSER_REPORT_MAX_AGE_MS - 1 });

describe('mergeParticipant', () => {
  it('sums producer bitrates as send, consumer bitrates as receive', () => {
    const h = mergeParticipant(peer(), fresh(), 'client', now);
    expect(h).toMatchObject({ peerId: 'peer-1', role: 'client', sendBitrate: 540_000, recvBitrate: 830_000 });
  });

  it("falls back to the browser's receive bitrate without an SFU figure", () => {
    expect(mergeParticipant(peer({ consumers: [] }), fresh(), 'client', now).recvBitrate).toBe(900_000);
    expect(mergeParticipant(undefined, fresh(), 'client', now, 'peer-9')).toMatchObject({
      peerId: 'peer-9',
      recvBitrate: 900_000,
      sendBitrate: 0,
    });
    expect(mergeParticipant(peer({ consumers: [] }), undefined, 'client', now).recvBitrate).toBe(0);
  });

  it('needs a peer id from somewhere', () => {
    expect(() => mergeParticipant(undefined, fresh(), 'client', now)).toThrow(TypeError);
  });

  it('takes the worse of send loss and the fresh report’s receive loss', () => {
    const p = peer({ producers: [producer({ lossPercent: 2 }), producer({ lossPercent: 7 })], consumers: [consumer({ lossPercent: 30 })] });
    expect(mergeParticipant(p, fresh({ recvLossPercent: 4 }), 'client', now).lossPercent).toBe(7);
    expect(mergeParticipant(p, fresh({ recvLossPercent: 9 }), 'client', now).lossPercent).toBe(9);
  });

  it('takes the worst consumer loss (RTCP) when the report is stale or missing', () => {
    const p = peer({ producers: [producer({ lossPercent: 2 })], consumers: [consumer({ lossPercent: 1 }), consumer({ lossPercent: 12 })] });
    expect(mergeParticipant(p, stale({ recvLossPercent: 0 }), 'client', now).lossPercent).toBe(12);
    expect(mergeParticipant(p, undefined, 'client', now).lossPercent).toBe(12);
  });

  it('takes RTT and jitter from a fresh report, else the worst consumer RTT and producer jitter', () => {
    const p = peer({
      producers: [producer({ jitterMs: 3 }), producer({ jitterMs: 11 })],
      consumers: [consumer({ rttMs: 80 }), consumer({ rttMs: 120 })],
    });
    expect(mergeParticipant(p, fresh({ rttMs: 45, jitterMs: 7 }), 'client', now)).toMatchObject({ rttMs: 45, jitterMs: 7 });
    expect(mergeParticipant(p, stale({ rttMs: 45, jitterMs: 7 }), 'client', now)).toMatchObject({ rttMs: 120, jitterMs: 11 });
  });

  it('counts a report exactly three intervals old as fresh', () => {
    const h = mergeParticipant(peer(), { report: report(), at: now - BROWSER_REPORT_MAX_AGE_MS }, 'client', now);
    expect(h.browserReport).toBe(true);
  });

  it('sums NACK/PLI/FIR over all streams, or takes the browser’s when larger', () => {
    expect(mergeParticipant(peer(), fresh(), 'client', now)).toMatchObject({ nackCount: 6, pliCount: 2, firCount: 0 });
    expect(mergeParticipant(peer(), fresh({ nackCount: 50, pliCount: 1, firCount: 3 }), 'client', now)).toMatchObject({
      nackCount: 50,
      pliCount: 2,
      firCount: 3,
    });
    expect(mergeParticipant(peer(), stale({ nackCount: 50 }), 'client', now).nackCount).toBe(6);
  });

  it('takes frames from a fresh report only', () => {
    expect(mergeParticipant(peer(), fresh(), 'client', now)).toMatchObject({ fps: 30, frameWidth: 1280, frameHeight: 720 });
    expect(mergeParticipant(peer(), stale(), 'client', now)).toMatchObject({ fps: 0, frameWidth: 0, frameHeight: 0 });
  });

  it('reports the highest spatial layer over video consumers, null without any', () => {
    const layered = peer({
      consumers: [consumer({ spatialLayer: 0 }), consumer({ spatialLayer: 2 }), consumer({ kind: 'audio', spatialLayer: 5 })],
    });
    expect(mergeParticipant(layered, undefined, 'client', now).spatialLayer).toBe(2);
    const audioOnly = peer({ consumers: [consumer({ kind: 'audio', spatialLayer: null })] });
    expect(mergeParticipant(audioOnly, undefined, 'client', now).spatialLayer).toBeNull();
    expect(mergeParticipant(peer({ consumers: [consumer({ spatialLayer: null })] }), undefined, 'client', now).spatialLayer).toBeNull();
  });

  it('takes ICE state and path from a fresh report, else from the SFU recv transport', () => {
    const p = peer({
      transports: [
        transport({ direction: 'send', iceState: 'connected', protocol: 'udp' }),
        transport({ iceState: 'disconnected', protocol: 'tcp' }),
      ],
    });
    expect(mergeParticipant(p, fresh({ iceState: 'completed', path: 'relay' }), 'client', now)).toMatchObject({
      iceState: 'completed',
      path: 'relay',
      browserReport: true,
    });
    expect(mergeParticipant(p, stale({ iceState: 'completed', path: 'relay' }), 'client', now)).toMatchObject({
      iceState: 'disconnected',
      path: 'tcp',
      browserReport: false,
    });
    expect(mergeParticipant(peer({ transports: [] }), undefined, 'client', now)).toMatchObject({ iceState: 'unknown', path: 'unknown' });
  });

  it('scores the merged figures', () => {
    const h = mergeParticipant(peer(), fresh({ recvLossPercent: 8, rttMs: 300 }), 'specialist', now);
    expect(h.score).toBe(qualityScore({ lossPercent: 8, rttMs: 300, jitterMs: 7, iceState: 'connected', hasMedia: true }));
    expect(mergeParticipant(peer(), fresh({ iceState: 'failed' }), 'client', now).score).toBe(0);
  });

  it('names the relay leg, the SFU estimate towards the participant and the browser’s uplink figures', () => {
    const p = peer({ transports: [transport({ direction: 'send' }), transport({ availableOutgoingBitrate: 180_000 })] });
    const relayed = fresh({ path: 'relay', relayProtocol: 'tcp', sendEstimate: 90_000, sendLimitation: 'bandwidth' });
    expect(mergeParticipant(p, relayed, 'client', now)).toMatchObject({
      path: 'relay',
      relayProtocol: 'tcp',
      recvEstimate: 180_000,
      sendEstimate: 90_000,
      sendLimitation: 'bandwidth',
    });
    // A relay protocol without a relay path is not shown; a stale report gives no browser figures.
    expect(mergeParticipant(p, fresh({ path: 'udp', relayProtocol: 'tcp' }), 'client', now).relayProtocol).toBeNull();
    expect(mergeParticipant(p, stale({ sendEstimate: 90_000 }), 'client', now)).toMatchObject({ sendEstimate: null, sendLimitation: null });
    expect(mergeParticipant(peer({ transports: [] }), undefined, 'client', now).recvEstimate).toBeNull();
  });

  it('lists each received video with its sender, and how many layers the sender offers', () => {
    const sender = peer({
      peerId: 'peer-2',
      producers: [
        producer({ producerId: 'cam-2', layers: [50_000, 140_000, 0] }),
        producer({ producerId: 'screen-2', source: 'screen', layers: [900_000], paused: true }),
        producer({ producerId: 'mic-2', kind: 'audio', source: 'mic', layers: [30_000] }),
      ],
    });
    const receiver = peer({
      consumers: [
        consumer({ consumerId: 'c-cam', producerId: 'cam-2', spatialLayer: 1, temporalLayer: 0, lossPercent: 3 }),
        consumer({ consumerId: 'c-screen', producerId: 'screen-2', paused: true, spatialLayer: null, layerCount: 1 }),
        consumer({ consumerId: 'c-mic', producerId: 'mic-2', kind: 'audio', spatialLayer: null }),
        consumer({ consumerId: 'c-gone', producerId: 'gone', spatialLayer: null, paused: true }),
      ],
    });
    const room = { peers: [receiver, sender], roleOf: (id: string) => (id === 'peer-2' ? ('specialist' as const) : null) };
    const { videoIn } = mergeParticipant(receiver, fresh(), 'client', now, undefined, room);
    expect(videoIn.map((v) => v.consumerId)).toEqual(['c-cam', 'c-screen', 'c-gone']);
    expect(videoIn[0]).toMatchObject({
      fromPeerId: 'peer-2',
      fromRole: 'specialist',
      source: 'camera',
      paused: false,
      producerPaused: false,
      spatialLayer: 1,
      temporalLayer: 0,
      layerCount: 3,
      senderLayers: 2,
      lossPercent: 3,
    });
    // Paused because the sender paused its screen, not the receiver.
    expect(videoIn[1]).toMatchObject({ source: 'screen', paused: false, producerPaused: true, layerCount: 1, senderLayers: 1 });
    // A producer the sample does not know: no sender, no blame on it, the receiver's pause stands.
    expect(videoIn[2]).toMatchObject({ fromPeerId: null, fromRole: null, paused: true, senderLayers: 3 });
    expect(mergeParticipant(receiver, fresh(), 'client', now).videoIn[0]?.fromPeerId).toBeNull();
  });

  it('counts the layers arriving from the lowest up to the first silent one', () => {
    expect(layersArriving([50_000, 150_000, 600_000])).toBe(3);
    expect(layersArriving([50_000, 0, 600_000])).toBe(1);
    expect(layersArriving([0, 150_000])).toBe(0);
    expect(layersArriving([])).toBe(0);
  });
});
