import { describe, expect, it } from '@jest/globals';
import { freeSlots, type FreeSlotsQuery } from './index.ts';
import { approved, booking, datesOf, local, sedelnikovo, wall } from './test-support/fixtures.ts';

const OMSK = 'Asia/Omsk';
const hm = (zone: string, slots: Date[]) => slots.map((s) => wall(zone, s).slice(11));

function day(date: string, extra: Partial<FreeSlotsQuery> = {}, zone = OMSK): Date[] {
  return freeSlots({
    calendar: sedelnikovo(zone),
    schedule: approved('s1', date.slice(0, 7), datesOf(date.slice(0, 7))),
    bookings: [],
    from: local(zone, `${date} 00:00`),
    to: local(zone, `${date} 23:59`),
    durationMinutes: 30,
    ...extra,
  });
}

const TUESDAY_30 = [
  '09:30',
  '09:45',
  '10:00',
  '10:15',
  '10:30',
  '10:45',
  '11:00',
  '11:15',
  '11:30',
  '11:45',
  '12:00',
  '12:15',
  '12:30',
].concat(['14:30', '14:45', '15:00', '15:15', '15:30']);

describe('free slots (rule 4) on Sedelnikovo hours', () => {
  it('offers 09:30–12:30 and 14:30–15:30 for 30 minutes on a Tuesday', () => {
    expect(hm(OMSK, day('2026-12-01'))).toEqual(TUESDAY_30);
  });
  it('offers less on a Friday (closes at 15:00) and for 60 minutes', () => {
    expect(hm(OMSK, day('2026-12-04')).slice(-2)).toEqual(['12:30', '14:30']);
    expect(hm(OMSK, day('2026-12-01', { durationMinutes: 60 }))).toEqual([
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
      '11:15',
      '11:30',
      '11:45',
      '12:00',
      '14:30',
      '14:45',
      '15:00',
    ]);
  });
  it('offers nothing at weekends, on holidays, for a draft schedule or an invalid duration', () => {
    expect(day('2026-12-05')).toEqual([]);
    expect(day('2026-11-04')).toEqual([]);
    expect(day('2026-12-01', { schedule: { ...approved('s1', '2026-12', ['2026-12-01']), status: 'draft' } })).toEqual([]);
    expect(day('2026-12-01', { durationMinutes: 61 })).toEqual([]);
    expect(day('2026-12-01', { durationMinutes: 0 })).toEqual([]);
  });
  it('keeps the pre-check gap around an existing consultation (10:00–10:30 occupies 09:30–10:30)', () => {
    const slots = hm(
      OMSK,
      day('2026-12-01', {
        bookings: [booking('b1', 's1', local(OMSK, '2026-12-01 10:00')), booking('x', 's2', local(OMSK, '2026-12-01 12:00'))],
      }),
    );
    expect(slots.slice(0, 2)).toEqual(['11:00', '11:15']);
    expect(slots).toContain('12:30'); // s2's consultation is not s1's
  });
  it('ignores the booking being moved, and cancelled ones', () => {
    const b1 = booking('b1', 's1', local(OMSK, '2026-12-01 10:00'));
    expect(hm(OMSK, day('2026-12-01', { bookings: [b1], excludeBookingId: 'b1' }))).toEqual(TUESDAY_30);
    expect(hm(OMSK, day('2026-12-01', { bookings: [{ ...b1, state: 'cancelled' }] }))).toEqual(TUESDAY_30);
  });
  it('uses only the blocks of the approved schedule', () => {
    const schedule = { ...approved('s1', '2026-12', ['2026-12-01'], '10:00', '11:00') };
    expect(hm(OMSK, day('2026-12-01', { schedule }))).toEqual(['10:00', '10:15', '10:30']);
  });
  it('honours the step, the half-open [from, to) range and `now`', () => {
    expect(hm(OMSK, day('2026-12-01', { stepMinutes: 60 }))).toEqual(['10:00', '11:00', '12:00', '15:00']);
    expect(hm(OMSK, day('2026-12-01', { from: local(OMSK, '2026-12-01 10:00'), to: local(OMSK, '2026-12-01 10:30') }))).toEqual([
      '10:00',
      '10:15',
    ]);
    expect(hm(OMSK, day('2026-12-01', { now: local(OMSK, '2026-12-01 11:50') }))[0]).toBe('12:30');
  });
  it('refuses a step that is not 1..1440 whole minutes', () => {
    expect(() => day('2026-12-01', { stepMinutes: 0 })).toThrow(RangeError);
    expect(() => day('2026-12-01', { stepMinutes: 7.5 })).toThrow(RangeError);
  });
  it('spans days and keeps the slots ascending', () => {
    const week = freeSlots({
      calendar: sedelnikovo(),
      schedule: approved('s1', '2026-12', datesOf('2026-12')),
      bookings: [],
      from: local(OMSK, '2026-11-30 00:00'),
      to: local(OMSK, '2026-12-07 00:00'),
      durationMinutes: 30,
    });
    // 30 November is in November, for which this schedule says nothing; Tue–Thu 18 each, Friday 14.
    expect(week.length).toBe(18 * 3 + 14);
    expect([...week].sort((a, b) => a.getTime() - b.getTime())).toEqual(week);
  });
});

describe('free slots in other zones', () => {
  it('Kamchatka (+12): a local Tuesday begins on Monday in UTC', () => {
    const slots = day('2026-12-01', {}, 'Asia/Kamchatka');
    expect(slots[0]!.toISOString()).toBe('2026-11-30T21:30:00.000Z');
    expect(hm('Asia/Kamchatka', slots)).toEqual(TUESDAY_30);
  });
  it('Kaliningrad (+2)', () => {
    const slots = day('2026-12-01', {}, 'Europe/Kaliningrad');
    expect(slots[0]!.toISOString()).toBe('2026-12-01T07:30:00.000Z');
    expect(hm('Europe/Kaliningrad', slots)).toEqual(TUESDAY_30);
  });
});

describe('free slots across DST changes (Europe/Berlin)', () => {
  const BERLIN = 'Europe/Berlin';
  const march = (date: string, extra: Partial<FreeSlotsQuery> = {}) => day(date, extra, BERLIN);

  it('keeps the wall-clock grid on both sides of the spring change', () => {
    expect(march('2026-03-27')[0]!.toISOString()).toBe('2026-03-27T08:30:00.000Z'); // Friday, CET
    expect(march('2026-03-30')[0]!.toISOString()).toBe('2026-03-30T07:30:00.000Z'); // Monday, CEST
    expect(hm(BERLIN, march('2026-03-31'))).toEqual(TUESDAY_30);
  });
  it('works a transferred Sunday that is itself the 23-hour change day', () => {
    const slots = day('2026-03-29', { calendar: sedelnikovo(BERLIN, { extraWorkingDays: ['2026-03-29'] }) }, BERLIN);
    expect(slots[0]!.toISOString()).toBe('2026-03-29T07:30:00.000Z');
    expect(hm(BERLIN, slots)).toEqual(TUESDAY_30);
  });
  it('and the 25-hour autumn change day', () => {
    const slots = day('2026-10-25', { calendar: sedelnikovo(BERLIN, { extraWorkingDays: ['2026-10-25'] }) }, BERLIN);
    expect(slots[0]!.toISOString()).toBe('2026-10-25T08:30:00.000Z');
    expect(hm(BERLIN, slots)).toEqual(TUESDAY_30);
  });
});
