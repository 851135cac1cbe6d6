import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  BOOKING_STATES,
  decideOnFire,
  decideOnNotificationFire,
  FEEDBACK_GIVE_UP_MINUTES,
  NO_SHOW_AFTER_MINUTES,
  NOTIFICATION_JOB_KINDS,
  NOTIFICATION_JOB_OFFSET_MINUTES,
  notificationJobDueAt,
  plansNoJobs,
  JOB_KINDS,
  JOB_OFFSET_MINUTES,
  jobDueAt,
  jobPlan,
  type BookingState,
} from './index.ts';

const startArb = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }).map((ms) => new Date(ms));
const idArb = fc.oneof(fc.uuid(), fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a:b', 'a|b', 'a%7Cb', '%', '1', ':'));
const activeState = fc.constantFrom<BookingState>('planned', 'precheck', 'open', 'live');

describe('job plan (property)', () => {
  it('ids are unique, deterministic, free of colons, and the times follow T', () => {
    fc.assert(
      fc.property(idArb, startArb, activeState, (id, start, state) => {
        const plan = jobPlan({ id, start, state });
        expect(plan.map((j) => j.kind)).toEqual([...JOB_KINDS]);
        expect(new Set(plan.map((j) => j.jobId)).size).toBe(plan.length);
        expect(jobPlan({ id, start: new Date(start.getTime()), state })).toEqual(plan);
        for (const j of plan) {
          expect(j.jobId).not.toContain(':');
          expect(j.at.getTime() - start.getTime()).toBe(JOB_OFFSET_MINUTES[j.kind] * 60_000);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a different start, or a different consultation, gives a disjoint set of ids', () => {
    fc.assert(
      fc.property(idArb, idArb, startArb, startArb, (id1, id2, s1, s2) => {
        const ids = (id: string, s: Date) => jobPlan({ id, start: s, state: 'planned' }).map((j) => j.jobId);
        if (s1.getTime() !== s2.getTime()) expect(ids(id1, s2).filter((x) => ids(id1, s1).includes(x))).toEqual([]);
        if (id1 !== id2) expect(ids(id2, s1).filter((x) => ids(id1, s1).includes(x))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('decideOnFire (property)', () => {
  it('never acts before a job is due, never lets a room outlive T+60, never touches a finished consultation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...JOB_KINDS),
        fc.constantFrom(...BOOKING_STATES),
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 59 * 60_000 })),
        startArb,
        fc.integer({ min: -90 * 60_000, max: 150 * 60_000 }),
        (kind, state, precheckPassed, openedAfter, start, offset) => {
          const now = new Date(start.getTime() + offset);
          const openedAt = openedAfter === null ? undefined : new Date(start.getTime() + openedAfter);
          const d = decideOnFire(kind, { state, start, precheckPassed, openedAt }, now);
          const limit = start.getTime() + 60 * 60_000;
          if (plansNoJobs(state)) return expect(d).toEqual({ action: 'skip', reason: 'finished' });
          if (now.getTime() >= limit) return expect(d).toEqual({ action: 'close_room', reason: 'hard_limit' });
          expect(d.action).not.toBe('close_room');
          if (d.action === 'wait') expect(d.until.getTime()).toBeGreaterThan(now.getTime());
          else if (d.action !== 'skip') expect(now.getTime()).toBeGreaterThanOrEqual(jobDueAt(kind, start).getTime());
          if (d.action === 'open_precheck') expect(now.getTime()).toBeLessThan(start.getTime());
          if (d.action === 'warn') {
            expect(d.msLeft).toBeGreaterThan(0);
            expect(d.msLeft).toBeLessThanOrEqual(d.minutes * 60_000);
            expect(d.msLeft).toBe(limit - now.getTime());
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('decideOnNotificationFire (property)', () => {
  it('never sends before due, never reminds at or after T, asks for feedback only after an ended consultation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NOTIFICATION_JOB_KINDS),
        fc.constantFrom(...BOOKING_STATES),
        startArb,
        fc.integer({ min: -5 * 3600_000, max: 30 * 3600_000 }),
        (kind, state, start, offset) => {
          const now = new Date(start.getTime() + offset);
          const d = decideOnNotificationFire(kind, { state, start, precheckPassed: false }, now);
          if (d.action === 'wait') expect(d.until.getTime()).toBeGreaterThan(now.getTime());
          if (d.action === 'send_reminder' || d.action === 'send_feedback')
            expect(now.getTime()).toBeGreaterThanOrEqual(notificationJobDueAt(kind, start).getTime());
          if (d.action === 'send_reminder') {
            expect(now.getTime()).toBeLessThan(start.getTime());
            expect(plansNoJobs(state)).toBe(false);
          }
          if (d.action === 'send_feedback') expect(state).toBe('ended');
        },
      ),
      { numRuns: 500 },
    );
  });
});

// The properties above only check what an action implies when one is taken: a decision that
// always answered `skip` (or `wait`) would pass them. Here each case is generated where the
// rules require one action, and that action is asserted — every kind, unconditionally.
describe('decideOnFire and decideOnNotificationFire act when they must (property)', () => {
  const MIN = 60_000;
  /** A time in [from, to) minutes from T. */
  const within = (from: number, to: number) => fc.integer({ min: from * MIN, max: to * MIN - 1 });
  interface Required {
    states: BookingState[];
    /** When `now` falls, in minutes from T: [from, to). */
    window: [number, number];
    /** The pre-check: whether it has passed (both when absent). */
    precheckPassed?: boolean;
    expected: (limitMs: number, nowMs: number) => ReturnType<typeof decideOnFire>;
  }
  const limitMinutes = JOB_OFFSET_MINUTES.hard_limit;
  // Keyed by the job kinds: a new or renamed kind fails to compile until its required action is stated here.
  const REQUIRED: Record<(typeof JOB_KINDS)[number], Required> = {
    precheck_open: { states: ['planned'], window: [JOB_OFFSET_MINUTES.precheck_open, 0], expected: () => ({ action: 'open_precheck' }) },
    precheck_alert: {
      states: ['planned', 'precheck'],
      window: [JOB_OFFSET_MINUTES.precheck_alert, 0],
      precheckPassed: false,
      expected: () => ({ action: 'alert_precheck' }),
    },
    clients_admitted: {
      states: ['planned', 'precheck'],
      window: [JOB_OFFSET_MINUTES.clients_admitted, limitMinutes],
      expected: () => ({ action: 'admit_clients' }),
    },
    // The room opened at T (openedAt unknown counts as T): 15 minutes without the client.
    no_show_check: {
      states: ['open'],
      window: [JOB_OFFSET_MINUTES.no_show_check, limitMinutes],
      expected: () => ({ action: 'mark_no_show' }),
    },
    warn_10: {
      states: ['open', 'live'],
      window: [JOB_OFFSET_MINUTES.warn_10, JOB_OFFSET_MINUTES.warn_5],
      expected: (limit, now) => ({ action: 'warn', minutes: 10, msLeft: limit - now }),
    },
    warn_5: {
      states: ['open', 'live'],
      window: [JOB_OFFSET_MINUTES.warn_5, limitMinutes],
      expected: (limit, now) => ({ action: 'warn', minutes: 5, msLeft: limit - now }),
    },
    hard_limit: {
      states: BOOKING_STATES.filter((s) => !plansNoJobs(s)),
      window: [limitMinutes, limitMinutes + 180],
      expected: () => ({ action: 'close_room', reason: 'hard_limit' }),
    },
  };

  it.each(JOB_KINDS.map((kind) => [kind]))('%s: inside its window and in its states, the job does its work', (kind) => {
    const rule = REQUIRED[kind];
    expect(rule.states.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.constantFrom(...rule.states),
        rule.precheckPassed === undefined ? fc.boolean() : fc.constant(rule.precheckPassed),
        startArb,
        within(...rule.window),
        (state, precheckPassed, start, offset) => {
          const now = new Date(start.getTime() + offset);
          const limit = start.getTime() + limitMinutes * MIN;
          expect(decideOnFire(kind, { state, start, precheckPassed }, now)).toEqual(rule.expected(limit, now.getTime()));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the no-show check counts its minutes from a late opening, then marks the no-show', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 40 * MIN }), fc.integer({ min: 0, max: 60 * MIN }), (start, openedAfter, after) => {
        const openedAt = new Date(start.getTime() + openedAfter);
        const deadline = openedAt.getTime() + NO_SHOW_AFTER_MINUTES * MIN;
        const now = new Date(Math.min(deadline + after, start.getTime() + limitMinutes * MIN - 1));
        fc.pre(now.getTime() >= deadline);
        expect(decideOnFire('no_show_check', { state: 'open', start, precheckPassed: true, openedAt }, now)).toEqual({
          action: 'mark_no_show',
        });
        // One millisecond earlier it waits for exactly that deadline.
        const early = new Date(deadline - 1);
        expect(decideOnFire('no_show_check', { state: 'open', start, precheckPassed: true, openedAt }, early)).toEqual({
          action: 'wait',
          until: new Date(deadline),
        });
      }),
      { numRuns: 200 },
    );
  });

  it('the reminder goes between T−2h and T for a consultation still to take place; the feedback request after an ended one', () => {
    const active = BOOKING_STATES.filter((s) => !plansNoJobs(s));
    fc.assert(
      fc.property(fc.constantFrom(...active), startArb, within(NOTIFICATION_JOB_OFFSET_MINUTES.remind, 0), (state, start, offset) => {
        const now = new Date(start.getTime() + offset);
        expect(decideOnNotificationFire('remind', { state, start, precheckPassed: false }, now)).toEqual({ action: 'send_reminder' });
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(startArb, within(NOTIFICATION_JOB_OFFSET_MINUTES.feedback, FEEDBACK_GIVE_UP_MINUTES), (start, offset) => {
        const now = new Date(start.getTime() + offset);
        expect(decideOnNotificationFire('feedback', { state: 'ended', start, precheckPassed: false }, now)).toEqual({
          action: 'send_feedback',
        });
      }),
      { numRuns: 200 },
    );
  });
});
