import { describe, expect, it } from '@jest/globals';
import { cancel, reschedule, validateBooking, validateReschedule, type BookingContext, type BookingState } from './index.ts';
import { approved, booking, datesOf, local, sedelnikovo } from './test-support/fixtures.ts';

const OMSK = 'Asia/Omsk';
const at = (wall: string) => local(OMSK, wall);
const ctx = (extra: Partial<BookingContext> = {}): BookingContext => ({
  calendar: sedelnikovo(),
  schedules: [approved('s1', '2026-12', datesOf('2026-12')), approved('s1', '2026-11', datesOf('2026-11'))],
  bookings: [],
  ...extra,
});
const codes = (start: Date, minutes = 30, c = ctx()) =>
  validateBooking({ specialistId: 's1', start, durationMinutes: minutes }, c).map((v) => v.code);

describe('rule 1: 1..60 whole minutes', () => {
  it.each([1, 15, 30, 60])('accepts %i minutes', (m) => expect(codes(at('2026-12-01 10:00'), m)).toEqual([]));
  it.each([0, -30, 61, 90, 30.5, Number.NaN])('refuses %p minutes', (m) =>
    expect(codes(at('2026-12-01 10:00'), m)).toEqual(['duration_invalid']),
  );
  it('refuses a start that is not on a whole minute, or not a date at all', () => {
    expect(codes(new Date(at('2026-12-01 10:00').getTime() + 30_000))).toEqual(['start_invalid']);
    expect(codes(new Date(Number.NaN))).toEqual(['start_invalid']);
  });
});

describe('rule 2: working hours, lunch, days off, the approved schedule (Sedelnikovo, Omsk)', () => {
  it('accepts the first and the last consultation of a day', () => {
    expect(codes(at('2026-12-01 09:30'))).toEqual([]); // pre-check from opening
    expect(codes(at('2026-12-01 15:00'), 60)).toEqual([]); // ends at 16:00 sharp
    expect(codes(at('2026-12-01 12:30'))).toEqual([]); // ends as lunch begins
    expect(codes(at('2026-12-04 14:30'))).toEqual([]); // Friday closes at 15:00
  });
  it('refuses weekends and holidays', () => {
    expect(codes(at('2026-12-05 10:00'))).toEqual(['day_off']);
    expect(codes(at('2026-11-04 10:00'))).toEqual(['day_off']);
  });
  it('refuses consultations running past closing time (Friday closes an hour earlier)', () => {
    expect(codes(at('2026-12-01 15:45'))).toEqual(['outside_working_hours', 'outside_schedule_block']); // the block ends at 16:00 too
    expect(codes(at('2026-12-04 14:45'))).toEqual(['outside_working_hours']);
  });
  it('refuses a consultation over lunch', () => {
    expect(codes(at('2026-12-01 12:45'))).toEqual(['overlaps_lunch']);
    expect(codes(at('2026-12-01 13:15'))).toEqual(['overlaps_lunch', 'precheck_overlaps_lunch']);
  });
  it('refuses a schedule that is a draft, or belongs to someone else', () => {
    const draft = { ...approved('s1', '2026-12', ['2026-12-01']), status: 'draft' as const };
    expect(codes(at('2026-12-01 10:00'), 30, ctx({ schedules: [draft] }))).toEqual(['no_approved_schedule']);
    expect(codes(at('2026-12-01 10:00'), 30, ctx({ schedules: [approved('s2', '2026-12', ['2026-12-01'])] }))).toEqual([
      'no_approved_schedule',
    ]);
  });
  it('refuses a consultation not inside one block, joining adjacent blocks', () => {
    const blocks = ctx({
      schedules: [
        {
          specialistId: 's1',
          month: '2026-12',
          status: 'approved',
          blocks: [
            { date: '2026-12-01', start: '10:00', end: '11:00' },
            { date: '2026-12-01', start: '11:00', end: '12:00' },
            { date: '2026-12-02', start: '10:00', end: '11:00' },
          ],
        },
      ],
    });
    expect(codes(at('2026-12-01 10:45'), 30, blocks)).toEqual([]);
    expect(codes(at('2026-12-01 11:45'), 30, blocks)).toEqual(['outside_schedule_block']);
    expect(codes(at('2026-12-02 10:45'), 30, blocks)).toEqual(['outside_schedule_block']);
    // the pre-check may precede the block: 09:30–10:00 is working time before a block that starts at 10:00
    expect(codes(at('2026-12-02 10:00'), 30, blocks)).toEqual([]);
  });
});

describe('rule 3: the 30-minute pre-check', () => {
  it('must lie inside working hours and outside lunch', () => {
    expect(codes(at('2026-12-01 09:00'))).toEqual(['precheck_outside_working_hours']);
    expect(codes(at('2026-12-01 09:15'))).toEqual(['precheck_outside_working_hours']);
    expect(codes(at('2026-12-01 14:00'))).toEqual(['precheck_overlaps_lunch']);
    expect(codes(at('2026-12-01 14:15'))).toEqual(['precheck_overlaps_lunch']);
    expect(codes(at('2026-12-01 14:30'))).toEqual([]);
  });

  it('keeps 30 minutes between consultations of one specialist, in both directions', () => {
    const c = ctx({ bookings: [booking('b1', 's1', at('2026-12-01 10:30'))] }); // occupies 10:00–11:00
    expect(codes(at('2026-12-01 11:30'), 30, c)).toEqual([]); // pre-check 11:00–11:30
    expect(codes(at('2026-12-01 11:15'), 30, c)).toEqual(['overlaps_booking']);
    expect(codes(at('2026-12-01 09:30'), 30, c)).toEqual([]); // ends 10:00, as b1's pre-check starts
    expect(codes(at('2026-12-01 09:30'), 31, c)).toEqual(['overlaps_booking']);
    const v = validateBooking({ specialistId: 's1', start: at('2026-12-01 11:15'), durationMinutes: 30 }, c);
    expect(v[0]).toMatchObject({ code: 'overlaps_booking', bookingId: 'b1' });
  });

  it("ignores other specialists' consultations", () => {
    const c = ctx({ bookings: [booking('b1', 's2', at('2026-12-01 10:30'))] });
    expect(codes(at('2026-12-01 10:30'), 30, c)).toEqual([]);
  });

  it.each<[BookingState, boolean]>([
    ['planned', true],
    ['precheck', true],
    ['open', true],
    ['live', true],
    ['ended', true],
    ['no_show', true],
    ['failed', false],
    ['cancelled', false],
  ])('a %s consultation holds its time: %p', (state, holds) => {
    const c = ctx({ bookings: [booking('b1', 's1', at('2026-12-01 10:30'), 30, state)] });
    expect(codes(at('2026-12-01 10:30'), 30, c)).toEqual(holds ? ['overlaps_booking'] : []);
  });

  it('with `now`, refuses a start whose pre-check would already have begun', () => {
    const c = ctx({ now: at('2026-12-01 10:01') });
    expect(codes(at('2026-12-01 10:30'), 30, c)).toEqual(['starts_too_soon']);
    expect(codes(at('2026-12-01 10:31'), 30, c)).toEqual([]);
  });
});

describe('zones from Kaliningrad (+2) to Kamchatka (+12)', () => {
  // 21:30Z on Monday 30 November is Tuesday 09:30 in Kamchatka and Monday 23:30 in Kaliningrad.
  const instant = new Date('2026-11-30T21:30:00Z');
  it('judges the same instant by each institution’s own wall clock', () => {
    expect(codes(instant, 30, ctx({ calendar: sedelnikovo('Asia/Kamchatka') }))).toEqual([]);
    expect(codes(instant, 30, ctx({ calendar: sedelnikovo('Europe/Kaliningrad') }))).toEqual([
      'outside_working_hours',
      'precheck_outside_working_hours',
      'outside_schedule_block',
    ]);
  });
  it('takes the month of the local date: Tuesday 1 December in Kamchatka needs the December schedule', () => {
    const novemberOnly = ctx({ calendar: sedelnikovo('Asia/Kamchatka'), schedules: [approved('s1', '2026-11', datesOf('2026-11'))] });
    expect(codes(instant, 30, novemberOnly)).toEqual(['no_approved_schedule']);
  });
  it('accepts 09:30 local in Kaliningrad (07:30Z) and Omsk (03:30Z)', () => {
    expect(codes(new Date('2026-12-01T07:30:00Z'), 30, ctx({ calendar: sedelnikovo('Europe/Kaliningrad') }))).toEqual([]);
    expect(codes(new Date('2026-12-01T03:30:00Z'), 30, ctx())).toEqual([]);
  });
});

describe('rule 5: reschedule and cancel', () => {
  const bookings = [booking('b1', 's1', at('2026-12-01 10:00')), booking('b2', 's1', at('2026-12-01 11:30'), 30, 'precheck')];
  const c = ctx({ bookings });

  it('ignores the booking’s own old interval', () => {
    expect(validateReschedule('b1', at('2026-12-01 10:15'), c)).toEqual([]);
    expect(validateReschedule('b1', at('2026-12-01 10:00'), c)).toEqual([]);
  });
  it('still keeps clear of the other consultations', () => {
    expect(validateReschedule('b1', at('2026-12-01 10:45'), c).map((v) => v.code)).toEqual(['overlaps_booking']);
  });
  it('applies every other rule too', () => {
    expect(validateReschedule('b1', at('2026-12-05 10:00'), c).map((v) => v.code)).toEqual(['day_off']);
  });
  it('refuses unknown and no-longer-movable consultations', () => {
    expect(validateReschedule('nope', at('2026-12-02 10:00'), c).map((v) => v.code)).toEqual(['booking_not_found']);
    const live = ctx({ bookings: [booking('b3', 's1', at('2026-12-01 10:00'), 30, 'live')] });
    expect(validateReschedule('b3', at('2026-12-02 10:00'), live).map((v) => v.code)).toEqual(['booking_not_movable']);
  });
  it('moves a consultation whose pre-check failed back to planned', () => {
    const moved = reschedule('b2', at('2026-12-02 11:30'), c);
    expect(moved).toEqual({ ok: true, booking: { ...bookings[1], start: at('2026-12-02 11:30'), state: 'planned' } });
  });
  it('cancels before a client joined, and frees the time', () => {
    const res = cancel(bookings[0]!);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.booking.state).toBe('cancelled');
    expect(codes(at('2026-12-01 10:00'), 30, ctx({ bookings: [res.booking] }))).toEqual([]);
  });
  it('cancels a failed consultation (the head calls off what could not take place)', () => {
    expect(cancel(booking('b9', 's1', at('2026-12-01 10:00'), 30, 'failed'))).toMatchObject({ ok: true, booking: { state: 'cancelled' } });
  });
  it.each<BookingState>(['live', 'ended', 'no_show', 'cancelled'])('does not cancel a %s consultation', (state) => {
    const res = cancel(booking('b9', 's1', at('2026-12-01 10:00'), 30, state));
    expect(res).toEqual({ ok: false, violations: [expect.objectContaining({ code: 'booking_not_cancellable' })] });
  });
});
