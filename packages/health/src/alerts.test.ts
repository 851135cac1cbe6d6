import { describe, expect, it } from '@jest/globals';
import type { ParticipantHealth } from '@dp/protocol';
import { ALERT_RULES, AlertTracker, alertId, type AlertInput } from './alerts.ts';

const t0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const sec = (s: number) => t0 + s * 1_000;
const iso = (ms: number) => new Date(ms).toISOString();

const participant = (over: Partial<ParticipantHealth> = {}): ParticipantHealth => ({
  peerId: 'peer-1',
  role: 'client',
  sendBitrate: 500_000,
  recvBitrate: 800_000,
  lossPercent: 0,
  rttMs: 40,
  jitterMs: 5,
  nackCount: 0,
  pliCount: 0,
  firCount: 0,
  fps: 30,
  frameWidth: 1280,
  frameHeight: 720,
  spatialLayer: 2,
  iceState: 'connected',
  path: 'udp',
  relayProtocol: null,
  recvEstimate: null,
  sendEstimate: null,
  sendLimitation: null,
  videoIn: [],
  score: 4.8,
  browserReport: true,
  ...over,
});

const input = (participants: ParticipantHealth[], over: Partial<AlertInput> = {}): AlertInput => ({
  rooms: [{ roomId: 'room-1', minutesLeft: 30, participants }],
  workers: [],
  failedPrechecks: [],
  ...over,
});

/** Feeds one participant's loss every 2 s from t0; returns the alerts after the last sample. */
const feedLoss = (tracker: AlertTracker, losses: number[]) =>
  losses.map((lossPercent, i) => tracker.update(sec(i * 2), input([participant({ lossPercent })]))).at(-1) ?? [];

describe('AlertTracker: loss', () => {
  it('alerts only once loss above 5 % has lasted 10 s', () => {
    const tracker = new AlertTracker();
    expect(feedLoss(tracker, [6, 6, 6, 6, 6])).toEqual([]); // 0 … 8 s
    const alerts = tracker.update(sec(10), input([participant({ lossPercent: 6 })]));
    expect(alerts).toEqual([
      {
        id: 'loss:room-1:peer-1',
        kind: 'loss',
        severity: 'warning',
        roomId: 'room-1',
        peerId: 'peer-1',
        workerPid: null,
        value: 6,
        since: iso(t0),
      },
    ]);
  });

  it('does not count exactly 5 % as above', () => {
    expect(feedLoss(new AlertTracker(), [5, 5, 5, 5, 5, 5, 5])).toEqual([]);
  });

  it('restarts the clock after a sample at or below 5 %', () => {
    const tracker = new AlertTracker();
    // 0–6 s above, 8 s dips to 3 %, above again from 10 s: due at 20 s, not at 10 s.
    expect(feedLoss(tracker, [6, 6, 6, 6, 3, 6, 6, 6, 6, 6])).toEqual([]); // up to 18 s
    const alerts = tracker.update(sec(20), input([participant({ lossPercent: 7 })]));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'loss', since: iso(sec(10)), value: 7 });
  });

  it('keeps since stable while it lasts, and drops the alert when it ends', () => {
    const tracker = new AlertTracker();
    const during = feedLoss(tracker, [8, 8, 8, 8, 8, 8, 9, 10]);
    expect(during[0]).toMatchObject({ id: 'loss:room-1:peer-1', since: iso(t0), value: 10 });
    expect(tracker.update(sec(16), input([participant({ lossPercent: 1 })]))).toEqual([]);
    // Back above: a new run, not yet 10 s long.
    expect(tracker.update(sec(18), input([participant({ lossPercent: 8 })]))).toEqual([]);
  });

  it('forgets a participant who leaves', () => {
    const tracker = new AlertTracker();
    feedLoss(tracker, [8, 8, 8]);
    tracker.update(sec(6), input([]));
    expect(tracker.update(sec(10), input([participant({ lossPercent: 8 })]))).toEqual([]);
  });

  it('tracks each participant separately', () => {
    const tracker = new AlertTracker();
    tracker.update(sec(0), input([participant({ peerId: 'a', lossPercent: 8 }), participant({ peerId: 'b' })]));
    const alerts = tracker.update(
      sec(10),
      input([participant({ peerId: 'a', lossPercent: 8 }), participant({ peerId: 'b', lossPercent: 8 })]),
    );
    expect(alerts.map((a) => a.id)).toEqual(['loss:room-1:a']);
  });
});

describe('AlertTracker: immediate rules', () => {
  it('alerts on RTT above 400 ms at once', () => {
    const tracker = new AlertTracker();
    expect(tracker.update(t0, input([participant({ rttMs: 400 })]))).toEqual([]);
    expect(tracker.update(sec(2), input([participant({ rttMs: 450 })]))).toEqual([
      expect.objectContaining({ id: 'rtt:room-1:peer-1', kind: 'rtt', severity: 'warning', value: 450, since: iso(sec(2)) }),
    ]);
    expect(tracker.update(sec(4), input([participant({ rttMs: 500 })]))[0]).toMatchObject({ since: iso(sec(2)), value: 500 });
  });

  it('alerts on ICE disconnected (warning) and failed (critical), keeping since across the change', () => {
    const tracker = new AlertTracker();
    expect(tracker.update(t0, input([participant({ iceState: 'disconnected' })]))).toEqual([
      expect.objectContaining({ id: 'ice_disconnected:room-1:peer-1', severity: 'warning', value: null }),
    ]);
    expect(tracker.update(sec(2), input([participant({ iceState: 'failed' })]))).toEqual([
      expect.objectContaining({ id: 'ice_disconnected:room-1:peer-1', severity: 'critical', since: iso(t0) }),
    ]);
    expect(tracker.update(sec(4), input([participant({ iceState: 'connected' })]))).toEqual([]);
  });

  it('alerts on a worker above 80 % CPU', () => {
    const tracker = new AlertTracker();
    const workers = [
      { pid: 101, cpuPercent: 85 },
      { pid: 102, cpuPercent: 80 },
    ];
    expect(tracker.update(t0, input([], { workers }))).toEqual([
      {
        id: 'worker_cpu::101',
        kind: 'worker_cpu',
        severity: 'warning',
        roomId: null,
        peerId: null,
        workerPid: 101,
        value: 85,
        since: iso(t0),
      },
    ]);
  });

  it('warns at 5 minutes left and is critical at 1', () => {
    const tracker = new AlertTracker();
    const room = (minutesLeft: number | null) => ({ rooms: [{ roomId: 'room-1', minutesLeft, participants: [] }] });
    expect(tracker.update(t0, input([], room(6)))).toEqual([]);
    expect(tracker.update(t0, input([], room(null)))).toEqual([]);
    expect(tracker.update(sec(60), input([], room(4)))).toEqual([
      expect.objectContaining({ id: 'time_limit:room-1:', severity: 'warning', value: 4, since: iso(sec(60)) }),
    ]);
    expect(tracker.update(sec(240), input([], room(1)))).toEqual([
      expect.objectContaining({ id: 'time_limit:room-1:', severity: 'critical', value: 1, since: iso(sec(60)) }),
    ]);
  });

  it('shows a failed pre-check while its room is listed, dated from the earliest failure', () => {
    const tracker = new AlertTracker();
    const failedPrechecks = [
      { roomId: 'room-1', at: sec(-90) },
      { roomId: 'room-1', at: sec(-120) },
      { roomId: 'room-gone', at: sec(-30) },
    ];
    expect(tracker.update(t0, input([], { failedPrechecks }))).toEqual([
      {
        id: 'precheck_failed:room-1:',
        kind: 'precheck_failed',
        severity: ALERT_RULES.precheck.severity,
        roomId: 'room-1',
        peerId: null,
        workerPid: null,
        value: null,
        since: iso(sec(-120)),
      },
    ]);
    expect(tracker.update(sec(2), { rooms: [], workers: [], failedPrechecks })).toEqual([]);
  });

  it('lists critical alerts first', () => {
    const tracker = new AlertTracker();
    const alerts = tracker.update(t0, input([participant({ rttMs: 900, iceState: 'failed' })], { workers: [{ pid: 7, cpuPercent: 99 }] }));
    expect(alerts.map((a) => a.severity)).toEqual(['critical', 'warning', 'warning']);
  });
});

describe('alertId', () => {
  it('is kind, room and subject', () => {
    expect(alertId('rtt', { roomId: 'r', peerId: 'p' })).toBe('rtt:r:p');
    expect(alertId('worker_cpu', { workerPid: 42 })).toBe('worker_cpu::42');
    expect(alertId('time_limit', { roomId: 'r' })).toBe('time_limit:r:');
  });
});
