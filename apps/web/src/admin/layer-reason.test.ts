import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { ParticipantHealth, ReceivedVideo } from '@dp/protocol';
import { CAMERA_ENCODINGS } from '../media/constraints.ts';
import { cameraLayerBitrate, cameraLayerSize, explainVideo, qualityOf, type ReasonKey } from './layer-reason.ts';

// The camera plan these cases are written for (constraints.ts): 320×180 / 640×360, each L1T3.
const LAYERS = CAMERA_ENCODINGS.length;

const video = (over: Partial<ReceivedVideo> = {}): ReceivedVideo => ({
  consumerId: 'c1',
  fromPeerId: 'sender',
  fromRole: 'specialist',
  source: 'camera',
  paused: false,
  producerPaused: false,
  spatialLayer: LAYERS - 1,
  temporalLayer: 2,
  layerCount: LAYERS,
  preferredSpatialLayer: LAYERS - 1,
  senderLayers: LAYERS,
  bitrate: 550_000,
  lossPercent: 0,
  score: 10,
  ...over,
});

const participant = (over: Partial<ParticipantHealth> = {}): ParticipantHealth => ({
  peerId: 'receiver',
  role: 'client',
  sendBitrate: 0,
  recvBitrate: 0,
  lossPercent: 0,
  rttMs: 40,
  jitterMs: 3,
  nackCount: 0,
  pliCount: 0,
  firCount: 0,
  fps: 24,
  frameWidth: 640,
  frameHeight: 360,
  spatialLayer: 2,
  iceState: 'connected',
  path: 'udp',
  relayProtocol: null,
  recvEstimate: 1_500_000,
  sendEstimate: null,
  sendLimitation: null,
  videoIn: [],
  score: 5,
  browserReport: true,
  ...over,
});

const keys = (v: ReturnType<typeof explainVideo>) => v.reasons.map((r) => r.key);

describe('the camera layers', () => {
  it('are 320×180 and 640×360 at about 150 and 600 kbit/s', () => {
    expect(LAYERS).toBe(2);
    expect([0, 1].map((i) => cameraLayerSize(i, 2))).toEqual([
      { width: 320, height: 180 },
      { width: 640, height: 360 },
    ]);
    expect([0, 1].map((i) => cameraLayerBitrate(i, 2))).toEqual([150_000, 600_000]);
  });

  it('halve per layer for a sender with another plan, whose needs are unknown', () => {
    expect(cameraLayerSize(0, 3)).toEqual({ width: 160, height: 90 });
    expect(cameraLayerBitrate(0, 3)).toBeNull();
  });

  it('are named low / medium / high; one layer has no ladder', () => {
    expect([0, 1, 2].map((i) => qualityOf(i, 3))).toEqual(['low', 'medium', 'high']);
    expect([0, 1].map((i) => qualityOf(i, 2))).toEqual(['low', 'high']);
    expect(qualityOf(0, 1)).toBe('single');
  });
});

describe('explainVideo', () => {
  it('the top layer is full quality', () => {
    const v = explainVideo(video(), participant());
    expect(v).toEqual({ quality: 'high', size: { width: 640, height: 360 }, reasons: [{ key: 'full' }], tone: 'ok' });
  });

  it('full quality with heavy loss says the picture may break up', () => {
    const v = explainVideo(video({ lossPercent: 8 }), participant());
    expect(v.reasons).toEqual([{ key: 'full' }, { key: 'lossAtFull', percent: 8 }]);
    expect(v.tone).toBe('warn');
  });

  it('a lower layer under a thin estimate names the receiver’s link', () => {
    const v = explainVideo(video({ spatialLayer: 0 }), participant({ recvEstimate: 120_000 }));
    expect(v).toMatchObject({ quality: 'low', size: { width: 320, height: 180 }, tone: 'warn' });
    expect(v.reasons).toEqual([{ key: 'estimate', bitrate: 120_000 }]);
    expect(keys(explainVideo(video({ spatialLayer: 0 }), participant({ recvEstimate: 500_000 })))).toEqual(['estimate']);
  });

  it('loss comes before the estimate (mediasoup steps down on loss), and is added when another reason leads', () => {
    expect(explainVideo(video({ spatialLayer: 0, lossPercent: 8 }), participant({ recvEstimate: 500_000 })).reasons).toEqual([
      { key: 'loss', percent: 8 },
    ]);
    expect(explainVideo(video({ spatialLayer: 0, lossPercent: 4.9 }), participant({ recvEstimate: 500_000 })).reasons).toEqual([
      { key: 'estimate', bitrate: 500_000 },
    ]);
    expect(keys(explainVideo(video({ spatialLayer: 0, senderLayers: 1, lossPercent: 12 }), participant()))).toEqual([
      'senderPlain',
      'loss',
    ]);
  });

  it('blames the sender when it offers no higher layer, with its uplink estimate or its CPU', () => {
    const lowOnly = video({ spatialLayer: 0, senderLayers: 1 });
    const sender = (over: Partial<ParticipantHealth>) => participant({ peerId: 'sender', ...over });
    expect(explainVideo(lowOnly, participant(), sender({ sendEstimate: 90_000, sendLimitation: 'bandwidth' })).reasons).toEqual([
      { key: 'senderBelowNeed', bitrate: 90_000, need: 750_000, next: 'high' },
    ]);
    // The encoder says bandwidth while the estimate would carry the next layer (it has just fallen): the estimate alone.
    expect(explainVideo(lowOnly, participant(), sender({ sendEstimate: 800_000, sendLimitation: 'bandwidth' })).reasons).toEqual([
      { key: 'senderBandwidth', bitrate: 800_000 },
    ]);
    expect(keys(explainVideo(lowOnly, participant(), sender({ sendEstimate: 900_000, sendLimitation: 'cpu' })))).toEqual(['senderCpu']);
    // The encoder's own word without an estimate; no word and no estimate: only the fact.
    expect(keys(explainVideo(lowOnly, participant(), sender({ sendLimitation: 'bandwidth' })))).toEqual(['sender']);
    expect(keys(explainVideo(lowOnly, participant()))).toEqual(['senderPlain']);
  });

  it('an uplink estimate below what the next layer needs on top of the lower ones is the cause, whatever the encoder says', () => {
    // Seen in the dashboard e2e: 150 kbit/s sent, 600 more would need 750 in all, the estimate was 504.
    const sender = (sendEstimate: number) => participant({ peerId: 'sender', sendEstimate, sendLimitation: 'none' });
    const one = video({ spatialLayer: 0, senderLayers: 1 });
    expect(explainVideo(one, participant(), sender(504_000)).reasons).toEqual([
      { key: 'senderBelowNeed', bitrate: 504_000, need: 750_000, next: 'high' },
    ]);
    expect(keys(explainVideo(one, participant(), sender(760_000)))).toEqual(['senderPlain']);
  });

  it('a lower layer asked for by the receiver is not the link’s fault', () => {
    expect(keys(explainVideo(video({ spatialLayer: 0, preferredSpatialLayer: 0 }), participant()))).toEqual(['preferred']);
  });

  it('an estimate that would carry more: stepping up; none known yet: starting', () => {
    expect(explainVideo(video({ spatialLayer: 0 }), participant({ recvEstimate: 900_000 })).reasons).toEqual([
      { key: 'rising', bitrate: 900_000 },
    ]);
    expect(keys(explainVideo(video({ spatialLayer: 0 }), participant({ recvEstimate: null })))).toEqual(['starting']);
  });

  it('no layer forwarded while not paused: video paused for bandwidth (audio first)', () => {
    const v = explainVideo(video({ spatialLayer: null, temporalLayer: null, bitrate: 0 }), participant({ recvEstimate: 38_000 }));
    expect(v).toEqual({ quality: 'paused', size: null, reasons: [{ key: 'pausedBandwidth', bitrate: 38_000 }], tone: 'bad' });
    expect(keys(explainVideo(video({ spatialLayer: null }), participant({ recvEstimate: null })))).toEqual(['starting']);
  });

  it('a paused consumer: the receiver’s own choice, unless the estimate cannot carry the lowest layer', () => {
    expect(explainVideo(video({ paused: true, spatialLayer: null }), participant())).toMatchObject({
      quality: 'paused',
      reasons: [{ key: 'pausedByReceiver' }],
      tone: 'ok',
    });
    expect(explainVideo(video({ paused: true, spatialLayer: null }), participant({ recvEstimate: 30_000 })).reasons).toEqual([
      { key: 'pausedBandwidth', bitrate: 30_000 },
    ]);
  });

  it('camera off at the sender; nothing arriving from the sender', () => {
    expect(explainVideo(video({ producerPaused: true, spatialLayer: null }), participant())).toMatchObject({
      quality: 'off',
      reasons: [{ key: 'senderOff' }],
    });
    const none = video({ spatialLayer: null, senderLayers: 0, bitrate: 0 });
    expect(explainVideo(none, participant(), participant({ sendEstimate: 40_000 })).reasons).toEqual([
      { key: 'senderNone', bitrate: 40_000 },
    ]);
    expect(explainVideo(none, participant())).toMatchObject({ quality: 'paused', reasons: [{ key: 'senderNone' }], tone: 'bad' });
  });

  it('a one-layer screen share: as sent, or lossy', () => {
    const screen = video({ source: 'screen', layerCount: 1, spatialLayer: null, senderLayers: 1 });
    expect(explainVideo(screen, participant())).toEqual({ quality: 'single', size: null, reasons: [{ key: 'full' }], tone: 'ok' });
    expect(keys(explainVideo({ ...screen, lossPercent: 6 }, participant()))).toEqual(['lossAtFull']);
  });
});

describe('the words', () => {
  // Every reason and quality the function can give has a sentence in both languages.
  const reasonKeys: ReasonKey[] = [
    'full',
    'estimate',
    'loss',
    'lossAtFull',
    'senderBandwidth',
    'senderBelowNeed',
    'senderCpu',
    'sender',
    'senderPlain',
    'senderNone',
    'preferred',
    'rising',
    'pausedBandwidth',
    'pausedByReceiver',
    'senderOff',
    'starting',
  ];
  for (const lang of ['ru', 'en']) {
    it(`${lang}.json has them all, with the figures in the sentence`, () => {
      const health = JSON.parse(readFileSync(new URL(`../locales/${lang}.json`, import.meta.url), 'utf8')).health;
      for (const k of reasonKeys) expect(typeof health.reason[k]).toBe('string');
      for (const k of ['low', 'medium', 'high', 'single', 'paused', 'off', 'sized']) expect(typeof health.quality[k]).toBe('string');
      expect(health.reason.estimate).toMatch(/\{\{kbps\}\}.*\{\{quality\}\}/);
      expect(health.reason.loss).toContain('{{percent}}');
      expect(health.reason.senderBandwidth).toContain('{{kbps}}');
      expect(health.reason.senderBelowNeed).toMatch(/\{\{kbps\}\}.*\{\{next\}\}.*\{\{need\}\}/);
      for (const k of ['low', 'medium', 'high', 'single']) expect(typeof health.qualityFor[k]).toBe('string');
      expect(health.paths.relayVia).toContain('{{protocol}}');
    });
  }
});
