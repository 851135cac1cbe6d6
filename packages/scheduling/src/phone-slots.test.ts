// A consultation by telephone holds the specialist's time but needs no pre-check window:
// it may start at opening time and right after lunch, it may follow another consultation
// back to back, and an online one after it still needs its own 30 minutes free.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { freeSlots, validateBooking, type Booking, type BookingContext, type FreeSlotsQuery } from './index.ts';
import { approved, booking, datesOf, local, sedelnikovo, wall } from './test-support/fixtures.ts';

const OMSK = 'Asia/Omsk';
const at = (w: string) => local(OMSK, w);
const ctx = (bookings: Booking[] = [], now?: Date): BookingContext => ({
  calendar: sedelnikovo(),
  schedules: [approved('s1', '2026-12', datesOf('2026-12'))],
  bookings,
  ...(now ? { now } : {}),
});
const codes = (start: Date, precheck: boolean, c = ctx(), minutes = 30) =>
  validateBooking({ specialistId: 's1', start, durationMinutes: minutes, precheck }, c).map((v) => v.code);
const phone = (id: string, start: Date, minutes = 30): Booking => ({ ...booking(id, 's1', start, minutes), precheck: false });
const slots = (extra: Partial<FreeSlotsQuery> = {}) =>
  freeSlots({
    calendar: sedelnikovo(),
    schedule: approved('s1', '2026-12', datesOf('2026-12')),
    bookings: [],
    from: at('2026-12-01 00:00'),
    to: at('2026-12-01 23:59'),
    durationMinutes: 30,
    ...extra,
  }).map((s) => wall(OMSK, s).slice(11));

describe('a consultation by telephone: no pre-check window', () => {
  it('may start at opening time and right after lunch (an online one may not)', () => {
    expect(codes(at('2026-12-01 09:00'), false)).toEqual([]);
    expect(codes(at('2026-12-01 09:00'), true)).toEqual(['precheck_outside_working_hours']);
    expect(codes(at('2026-12-01 14:00'), false)).toEqual([]);
    expect(codes(at('2026-12-01 14:00'), true)).toEqual(['precheck_overlaps_lunch']);
  });
  it('still keeps working hours, lunch and the schedule', () => {
    expect(codes(at('2026-12-01 12:45'), false)).toEqual(['overlaps_lunch']);
    expect(codes(at('2026-12-05 10:00'), false)).toEqual(['day_off']);
  });
  it('holds its own time: nothing may overlap it, but it holds no pre-check before it', () => {
    const held = [phone('p', at('2026-12-01 10:00'))];
    expect(codes(at('2026-12-01 10:15'), false, ctx(held))).toEqual(['overlaps_booking']);
    // Back to back before it: 09:30–10:00 by phone ends as the phone consultation starts.
    expect(codes(at('2026-12-01 09:30'), false, ctx(held))).toEqual([]);
    // An online one after it needs its pre-check free: 10:30 − 30 min overlaps 10:00–10:30.
    expect(codes(at('2026-12-01 10:30'), true, ctx(held))).toEqual(['overlaps_booking']);
    expect(codes(at('2026-12-01 11:00'), true, ctx(held))).toEqual([]);
    // A phone one right after another phone one.
    expect(codes(at('2026-12-01 10:30'), false, ctx(held))).toEqual([]);
  });
  it('is refused only once its start has passed (no 30 minutes to prepare)', () => {
    const now = at('2026-12-01 10:50');
    expect(codes(at('2026-12-01 11:00'), false, ctx([], now))).toEqual([]);
    expect(codes(at('2026-12-01 11:00'), true, ctx([], now))).toEqual(['starts_too_soon']);
    expect(codes(at('2026-12-01 10:45'), false, ctx([], now))).toEqual(['starts_too_soon']);
  });
  it('the slot search offers the opening and after-lunch starts only without the pre-check', () => {
    expect(slots({ precheck: false })).toContain('09:00');
    expect(slots({ precheck: false })).toContain('14:00');
    expect(slots()).not.toContain('09:00');
    expect(slots()).not.toContain('14:00');
  });
});

describe('property: the phone slot search agrees with validateBooking and is a superset of the online one', () => {
  const minuteArb = fc.integer({ min: 0, max: 7 * 60 }).map((m) => m - (m % 5));
  const bookingsArb = fc.array(
    fc.record({ day: fc.integer({ min: 1, max: 3 }), minute: minuteArb, minutes: fc.constantFrom(15, 30, 60), phone: fc.boolean() }),
    { maxLength: 8 },
  );
  it('holds for random bookings of both forms', () => {
    fc.assert(
      fc.property(bookingsArb, fc.constantFrom(15, 30, 45, 60), (seeds, duration) => {
        const bookings: Booking[] = seeds.map((s, i) => {
          const start = new Date(at(`2026-12-0${s.day} 09:00`).getTime() + s.minute * 60_000);
          return { ...booking(`b${i}`, 's1', start, s.minutes), precheck: !s.phone };
        });
        const query = { bookings, from: at('2026-12-01 00:00'), to: at('2026-12-03 23:59'), durationMinutes: duration };
        const base = { calendar: sedelnikovo(), schedule: approved('s1', '2026-12', datesOf('2026-12')) };
        const phoneSlots = freeSlots({ ...base, ...query, precheck: false });
        const onlineSlots = freeSlots({ ...base, ...query });
        const phoneSet = new Set(phoneSlots.map((d) => d.getTime()));
        for (const s of onlineSlots) expect(phoneSet.has(s.getTime())).toBe(true);
        const c = ctx(bookings);
        for (const s of phoneSlots) {
          expect(validateBooking({ specialistId: 's1', start: s, durationMinutes: duration, precheck: false }, c)).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
