import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  BOOKING_STATES,
  decideOnFire,
  decideOnNotificationFire,
  NOTIFICATION_JOB_KINDS,
  notificationJobDueAt,
  FINISHED_STATES,
  JOB_KINDS,
  JOB_OFFSET_MINUTES,
  jobDueAt,
  jobPlan,
  roomDeadline,
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

describe('decideOnFire and roomDeadline (property)', () => {
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
          if (FINISHED_STATES.has(state)) return expect(d).toEqual({ action: 'skip', reason: 'finished' });
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

  it('the room timer ends at T+60 whatever the planned duration', () => {
    fc.assert(
      fc.property(
        startArb,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: -3 * 3600_000, max: 3 * 3600_000 }),
        (start, minutes, offset) => {
          const now = new Date(start.getTime() + offset);
          const left = roomDeadline({ start, durationMinutes: minutes } as { start: Date }, now);
          expect(left).toBe(Math.max(0, start.getTime() + 3600_000 - now.getTime()));
        },
      ),
      { numRuns: 200 },
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
            expect(FINISHED_STATES.has(state)).toBe(false);
          }
          if (d.action === 'send_feedback') expect(state).toBe('ended');
        },
      ),
      { numRuns: 500 },
    );
  });
});
