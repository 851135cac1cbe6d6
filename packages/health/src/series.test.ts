import { describe, expect, it } from '@jest/globals';
import { HEALTH_HISTORY_MS, HEALTH_INTERVAL_MS, type ParticipantHealth } from '@dp/protocol';
import {
  PointRing,
  QualityAccumulator,
  SERIES_CAPACITY,
  SeriesStore,
  participantFigures,
  qualitySample,
  roomFigures,
  summarise,
  type QualitySample,
} from './series.ts';

const t0 = 1_800_000_000_000;
const fig = (bitrate: number, lossPercent = 0, rttMs = 20) => ({ bitrate, lossPercent, rttMs });

describe('PointRing', () => {
  it('keeps at most its capacity, dropping the oldest', () => {
    const ring = new PointRing(3);
    for (let i = 0; i < 5; i++) ring.push({ t: i, ...fig(i) });
    expect(ring.toArray().map((p) => p.t)).toEqual([2, 3, 4]);
  });

  it('drops points older than a time', () => {
    const ring = new PointRing(4);
    for (let i = 0; i < 6; i++) ring.push({ t: i, ...fig(i) });
    ring.dropBefore(4);
    expect(ring.toArray().map((p) => p.t)).toEqual([4, 5]);
    ring.dropBefore(100);
    expect(ring.length).toBe(0);
    ring.push({ t: 7, ...fig(7) });
    expect(ring.toArray().map((p) => p.t)).toEqual([7]);
  });
});

describe('SeriesStore', () => {
  it('stamps points with the time and returns the room and participant charts', () => {
    const store = new SeriesStore();
    store.push(t0, 'room-1', fig(1_000), { a: fig(600), b: fig(400) });
    store.push(t0 + 2_000, 'room-1', fig(1_100, 2), { a: fig(700, 2) });
    expect(store.series('room-1')).toEqual({
      roomId: 'room-1',
      room: [
        { t: t0, ...fig(1_000) },
        { t: t0 + 2_000, ...fig(1_100, 2) },
      ],
      participants: {
        a: [
          { t: t0, ...fig(600) },
          { t: t0 + 2_000, ...fig(700, 2) },
        ],
        b: [{ t: t0, ...fig(400) }],
      },
    });
    expect(store.series('room-2')).toBeNull();
  });

  it('keeps 10 minutes of history', () => {
    const store = new SeriesStore();
    const samples = (2 * HEALTH_HISTORY_MS) / HEALTH_INTERVAL_MS;
    for (let i = 0; i <= samples; i++) store.push(t0 + i * HEALTH_INTERVAL_MS, 'r', fig(i), { a: fig(i) });
    const series = store.series('r');
    const now = t0 + samples * HEALTH_INTERVAL_MS;
    expect(series?.room).toHaveLength(HEALTH_HISTORY_MS / HEALTH_INTERVAL_MS + 1);
    expect(series?.room[0]?.t).toBe(now - HEALTH_HISTORY_MS);
    expect(series?.participants.a).toHaveLength(HEALTH_HISTORY_MS / HEALTH_INTERVAL_MS + 1);
  });

  it('caps memory even when samples come too often', () => {
    const store = new SeriesStore();
    for (let i = 0; i < 2_000; i++) store.push(t0 + i, 'r', fig(i), {});
    expect(store.series('r')?.room).toHaveLength(SERIES_CAPACITY);
    expect(SERIES_CAPACITY).toBeGreaterThanOrEqual(300);
  });

  it('lets a departed participant’s chart age out', () => {
    const store = new SeriesStore();
    store.push(t0, 'r', fig(1), { gone: fig(1) });
    store.push(t0 + HEALTH_HISTORY_MS, 'r', fig(1), {});
    expect(store.series('r')?.participants.gone).toHaveLength(1);
    store.push(t0 + HEALTH_HISTORY_MS + 1, 'r', fig(1), {});
    expect(store.series('r')?.participants).toEqual({});
  });

  it('forgets a dropped room', () => {
    const store = new SeriesStore();
    store.push(t0, 'r', fig(1), {});
    store.drop('r');
    expect(store.series('r')).toBeNull();
    expect(store.roomIds()).toEqual([]);
  });

  it('hands out copies', () => {
    const store = new SeriesStore();
    store.push(t0, 'r', fig(1), {});
    const first = store.series('r');
    first?.room.pop();
    expect(store.series('r')?.room).toHaveLength(1);
  });
});

const participant = (over: Partial<ParticipantHealth>): ParticipantHealth => ({
  peerId: 'p',
  role: 'client',
  sendBitrate: 0,
  recvBitrate: 0,
  lossPercent: 0,
  rttMs: 0,
  jitterMs: 0,
  nackCount: 0,
  pliCount: 0,
  firCount: 0,
  fps: 0,
  frameWidth: 0,
  frameHeight: 0,
  spatialLayer: null,
  iceState: 'connected',
  path: 'udp',
  relayProtocol: null,
  recvEstimate: null,
  sendEstimate: null,
  sendLimitation: null,
  videoIn: [],
  score: 5,
  browserReport: true,
  ...over,
});

describe('chart figures', () => {
  it('totals traffic and takes the worst loss and RTT', () => {
    const a = participant({ sendBitrate: 100, recvBitrate: 200, lossPercent: 3, rttMs: 90, score: 3.1 });
    const b = participant({ sendBitrate: 50, recvBitrate: 25, lossPercent: 7, rttMs: 40, score: 2.2 });
    expect(participantFigures(a)).toEqual({ bitrate: 300, lossPercent: 3, rttMs: 90 });
    expect(roomFigures([a, b])).toEqual({ bitrate: 375, lossPercent: 7, rttMs: 90 });
    expect(roomFigures([])).toEqual({ bitrate: 0, lossPercent: 0, rttMs: 0 });
    expect(qualitySample([a, b], ['loss'])).toEqual({
      score: 2.2,
      maxLossPercent: 7,
      maxRttMs: 90,
      totalBitrate: 375,
      alertKinds: ['loss'],
    });
  });
});

describe('QualityAccumulator / summarise', () => {
  const sample = (
    score: number,
    maxLossPercent: number,
    maxRttMs: number,
    totalBitrate: number,
    alertKinds: QualitySample['alertKinds'] = [],
  ) => ({
    score,
    maxLossPercent,
    maxRttMs,
    totalBitrate,
    alertKinds,
  });

  it('averages, takes min and max, and counts samples', () => {
    expect(summarise([sample(5, 0, 20, 1_000), sample(4, 2, 60, 2_000), sample(3, 7, 100, 3_001)])).toEqual({
      samples: 3,
      scoreAvg: 4,
      scoreMin: 3,
      lossPercentAvg: 3,
      lossPercentMax: 7,
      rttMsAvg: 60,
      rttMsMax: 100,
      bitrateAvg: 2_000,
      alerts: {},
    });
  });

  it('counts each alert once per onset, by kind', () => {
    const summary = summarise([
      sample(4, 6, 20, 1, ['loss']),
      sample(4, 6, 20, 1, ['loss', 'loss', 'rtt']),
      sample(4, 0, 20, 1, []),
      sample(4, 6, 20, 1, ['loss']),
      sample(4, 6, 20, 1, new Set(['time_limit'] as const)),
    ]);
    expect(summary.alerts).toEqual({ loss: 2, rtt: 1, time_limit: 1 });
  });

  it('says nothing was measured for a room without samples', () => {
    const acc = new QualityAccumulator();
    expect(acc.summary()).toEqual({
      samples: 0,
      scoreAvg: 0,
      scoreMin: 0,
      lossPercentAvg: 0,
      lossPercentMax: 0,
      rttMsAvg: 0,
      rttMsMax: 0,
      bitrateAvg: 0,
      alerts: {},
    });
  });

  it('summarises as it goes', () => {
    const acc = new QualityAccumulator();
    acc.add(sample(4.5, 1, 30, 500));
    expect(acc.summary()).toMatchObject({ samples: 1, scoreAvg: 4.5, scoreMin: 4.5 });
    acc.add(sample(2.5, 1, 30, 500));
    expect(acc.summary()).toMatchObject({ samples: 2, scoreAvg: 3.5, scoreMin: 2.5 });
    expect(acc.samples).toBe(2);
  });
});
