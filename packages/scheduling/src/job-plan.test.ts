import { describe, expect, it } from '@jest/globals';
import {
  decideOnFire,
  decideOnNotificationFire,
  isNotificationJobKind,
  jobId,
  jobPlan,
  notificationPlan,
  type BookingState,
  type ConsultationSnapshot,
  type JobKind,
} from './index.ts';

const T = new Date('2026-12-01T04:00:00Z'); // 10:00 in Omsk
const min = (m: number) => new Date(T.getTime() + m * 60_000);

describe('job plan (rule 7)', () => {
  it('plans seven jobs from T−30 to T+60, whatever the planned duration', () => {
    const plan = jobPlan({ id: 'c1', start: T, state: 'planned' });
    expect(plan.map((j) => [j.kind, (j.at.getTime() - T.getTime()) / 60_000])).toEqual([
      ['precheck_open', -30],
      ['precheck_alert', -5],
      ['clients_admitted', 0],
      ['no_show_check', 15],
      ['warn_10', 50],
      ['warn_5', 55],
      ['hard_limit', 60],
    ]);
  });

  it('derives ids from consultation, kind and start — no colons (BullMQ refuses them)', () => {
    expect(jobId('c1', 'clients_admitted', T)).toBe('c1|clients_admitted|2026-12-01T040000.000Z');
    expect(jobPlan({ id: 'c1', start: T, state: 'planned' })).toEqual(jobPlan({ id: 'c1', start: new Date(T), state: 'planned' }));
    expect(jobId('a:b|c', 'warn_5', T)).toBe('a%3Ab%7Cc|warn_5|2026-12-01T040000.000Z');
  });

  it('gives a moved consultation a disjoint set of ids', () => {
    const before = new Set(jobPlan({ id: 'c1', start: T, state: 'planned' }).map((j) => j.jobId));
    const after = jobPlan({ id: 'c1', start: min(15), state: 'planned' }).map((j) => j.jobId);
    expect(after.filter((id) => before.has(id))).toEqual([]);
  });

  it.each<BookingState>(['ended', 'no_show', 'failed', 'cancelled'])('has no jobs for a %s consultation', (state) => {
    expect(jobPlan({ id: 'c1', start: T, state })).toEqual([]);
  });
});

describe('decideOnFire: on time', () => {
  const snap = (state: BookingState, extra: Partial<ConsultationSnapshot> = {}): ConsultationSnapshot => ({
    state,
    start: T,
    precheckPassed: false,
    ...extra,
  });

  it.each<[JobKind, ConsultationSnapshot, number, unknown]>([
    ['precheck_open', snap('planned'), -30, { action: 'open_precheck' }],
    ['precheck_alert', snap('precheck'), -5, { action: 'alert_precheck' }],
    ['precheck_alert', snap('precheck', { precheckPassed: true }), -5, { action: 'skip', reason: 'precheck_passed' }],
    ['clients_admitted', snap('precheck', { precheckPassed: true }), 0, { action: 'admit_clients' }],
    ['clients_admitted', snap('planned'), 0, { action: 'admit_clients' }],
    ['no_show_check', snap('open'), 15, { action: 'mark_no_show' }],
    ['no_show_check', snap('live'), 15, { action: 'skip', reason: 'already_done' }],
    ['warn_10', snap('live'), 50, { action: 'warn', minutes: 10, msLeft: 600_000 }],
    ['warn_5', snap('live'), 55, { action: 'warn', minutes: 5, msLeft: 300_000 }],
    ['hard_limit', snap('live'), 60, { action: 'close_room', reason: 'hard_limit' }],
  ])('%s in %j at T%+d', (kind, s, m, expected) => {
    expect(decideOnFire(kind, s, min(m))).toEqual(expected);
  });
});

describe('decideOnFire: late, early and out of order', () => {
  const live: ConsultationSnapshot = { state: 'live', start: T, precheckPassed: true };
  const planned: ConsultationSnapshot = { state: 'planned', start: T, precheckPassed: false };

  it('clients_admitted after T+60 closes instead of opening', () => {
    expect(decideOnFire('clients_admitted', planned, min(61))).toEqual({ action: 'close_room', reason: 'hard_limit' });
    expect(decideOnFire('clients_admitted', planned, min(60))).toEqual({ action: 'close_room', reason: 'hard_limit' });
  });
  it('clients_admitted late but before the limit still admits', () => {
    expect(decideOnFire('clients_admitted', planned, min(20))).toEqual({ action: 'admit_clients' });
  });
  it('warn_10 after T+55 is skipped (warn_5 is the true one), with the real time left when merely late', () => {
    expect(decideOnFire('warn_10', live, min(56))).toEqual({ action: 'skip', reason: 'late' });
    expect(decideOnFire('warn_10', live, min(52))).toEqual({ action: 'warn', minutes: 10, msLeft: 8 * 60_000 });
  });
  it('hard_limit fired late closes at once', () => {
    expect(decideOnFire('hard_limit', live, min(95))).toEqual({ action: 'close_room', reason: 'hard_limit' });
  });
  it('any job after the limit closes a consultation that is not finished', () => {
    for (const kind of ['precheck_open', 'precheck_alert', 'no_show_check', 'warn_10', 'warn_5'] as const) {
      expect(decideOnFire(kind, live, min(61))).toEqual({ action: 'close_room', reason: 'hard_limit' });
    }
  });
  it('a finished consultation is left alone', () => {
    expect(decideOnFire('hard_limit', { ...live, state: 'ended' }, min(60))).toEqual({ action: 'skip', reason: 'finished' });
    expect(decideOnFire('clients_admitted', { ...planned, state: 'cancelled' }, min(0))).toEqual({ action: 'skip', reason: 'finished' });
  });
  it('a job that fires early (clock skew) waits until it is due', () => {
    expect(decideOnFire('hard_limit', live, min(59))).toEqual({ action: 'wait', until: min(60) });
    expect(decideOnFire('clients_admitted', planned, min(-1))).toEqual({ action: 'wait', until: T });
  });
  it('precheck_open after T is left to clients_admitted; the alert after T is too late to help', () => {
    expect(decideOnFire('precheck_open', planned, min(1))).toEqual({ action: 'skip', reason: 'late' });
    expect(decideOnFire('precheck_alert', planned, min(1))).toEqual({ action: 'skip', reason: 'late' });
    expect(decideOnFire('precheck_open', { ...planned, state: 'precheck' }, min(-30))).toEqual({ action: 'skip', reason: 'already_done' });
  });
  it('no_show_check gives the client 15 minutes of an open room, even if it opened late', () => {
    const openedLate: ConsultationSnapshot = { state: 'open', start: T, precheckPassed: true, openedAt: min(20) };
    expect(decideOnFire('no_show_check', openedLate, min(22))).toEqual({ action: 'wait', until: min(35) });
    expect(decideOnFire('no_show_check', openedLate, min(35))).toEqual({ action: 'mark_no_show' });
    expect(decideOnFire('no_show_check', planned, min(15))).toEqual({ action: 'wait', until: min(30) });
  });
  it('warnings need an open room', () => {
    expect(decideOnFire('warn_5', planned, min(55))).toEqual({ action: 'skip', reason: 'room_not_open' });
  });
});

describe('e-mail jobs: remind and feedback', () => {
  const snap = (state: BookingState): ConsultationSnapshot => ({ state, start: T, precheckPassed: false });

  it('plans a reminder at T−2h and a feedback request at T+65, with ids apart from the room jobs', () => {
    const plan = notificationPlan({ id: 'c1', start: T, state: 'planned' });
    expect(plan.map((j) => [j.kind, (j.at.getTime() - T.getTime()) / 60_000])).toEqual([
      ['remind', -120],
      ['feedback', 65],
    ]);
    expect(plan.map((j) => j.jobId)).toEqual(['c1|remind|2026-12-01T040000.000Z', 'c1|feedback|2026-12-01T040000.000Z']);
    const roomIds = new Set(jobPlan({ id: 'c1', start: T, state: 'planned' }).map((j) => j.jobId));
    expect(plan.filter((j) => roomIds.has(j.jobId))).toEqual([]);
    expect(isNotificationJobKind('remind')).toBe(true);
    expect(isNotificationJobKind('clients_admitted')).toBe(false);
  });

  it('a moved consultation gets new e-mail job ids (the old reminder is removed, or stale if it fires)', () => {
    const before = notificationPlan({ id: 'c1', start: T, state: 'planned' }).map((j) => j.jobId);
    const after = notificationPlan({ id: 'c1', start: min(90), state: 'planned' }).map((j) => j.jobId);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
  });

  it.each<BookingState>(['ended', 'no_show', 'failed', 'cancelled'])('plans no e-mail jobs for a %s consultation', (state) => {
    expect(notificationPlan({ id: 'c1', start: T, state })).toEqual([]);
  });

  it.each<[string, ConsultationSnapshot, number, unknown]>([
    ['remind', snap('planned'), -120, { action: 'send_reminder' }],
    ['remind', snap('planned'), -121, { action: 'wait', until: min(-120) }],
    ['remind', snap('precheck'), -10, { action: 'send_reminder' }], // booked late: at once
    ['remind', snap('open'), 0, { action: 'skip', reason: 'late' }],
    ['remind', snap('planned'), 5, { action: 'skip', reason: 'late' }],
    ['remind', snap('cancelled'), -120, { action: 'skip', reason: 'finished' }],
    ['feedback', snap('ended'), 65, { action: 'send_feedback' }],
    ['feedback', snap('ended'), 64, { action: 'wait', until: min(65) }],
    ['feedback', snap('ended'), 600, { action: 'send_feedback' }],
    ['feedback', snap('ended'), 24 * 60, { action: 'skip', reason: 'late' }],
    ['feedback', snap('live'), 65, { action: 'wait', until: min(70) }], // hard_limit late: look again
    ['feedback', snap('no_show'), 65, { action: 'skip', reason: 'finished' }],
    ['feedback', snap('cancelled'), 65, { action: 'skip', reason: 'finished' }],
    ['feedback', snap('failed'), 65, { action: 'skip', reason: 'finished' }],
  ])('%s in %j at T%+d', (kind, s, m, expected) => {
    expect(decideOnNotificationFire(kind as 'remind' | 'feedback', s, min(m))).toEqual(expected);
  });
});
