import { describe, expect, it } from '@jest/globals';
import {
  calendarProblems,
  compileCalendar,
  dayClock,
  hoursOn,
  isWorkingDay,
  localDateOf,
  scheduleProblems,
  workingHoursOn,
  type InstitutionCalendar,
} from './index.ts';
import { approved, sedelnikovo } from './test-support/fixtures.ts';

const iso = (d: Date | undefined) => d?.toISOString();

describe('institution calendar (Sedelnikovo hours)', () => {
  const cal = compileCalendar(sedelnikovo());

  it('works Mon–Thu 09:00–16:00 and Fri 09:00–15:00, not at weekends', () => {
    expect(hoursOn(cal, '2026-11-30')).toEqual({ start: 9 * 60, end: 16 * 60 }); // Monday
    expect(hoursOn(cal, '2026-12-03')).toEqual({ start: 9 * 60, end: 16 * 60 }); // Thursday
    expect(hoursOn(cal, '2026-12-04')).toEqual({ start: 9 * 60, end: 15 * 60 }); // Friday
    expect(hoursOn(cal, '2026-12-05')).toBeNull(); // Saturday
    expect(hoursOn(cal, '2026-12-06')).toBeNull(); // Sunday
  });

  it('keeps holidays off (4 November, a Wednesday)', () => {
    expect(isWorkingDay(sedelnikovo(), '2026-11-04')).toBe(false);
    expect(isWorkingDay(sedelnikovo(), '2026-11-05')).toBe(true);
  });

  it("works a transferred Saturday with Monday's hours, unless it is also listed as a day off", () => {
    const withExtra = compileCalendar(sedelnikovo('Asia/Omsk', { extraWorkingDays: ['2026-12-26', '2026-12-31'] }));
    expect(hoursOn(withExtra, '2026-12-26')).toEqual({ start: 9 * 60, end: 16 * 60 });
    expect(hoursOn(withExtra, '2026-12-31')).toBeNull();
    expect(hoursOn(withExtra, '2026-12-27')).toBeNull();
  });

  it('uses the first weekday with hours for a transferred day when Monday is off', () => {
    const base = sedelnikovo();
    const cal2 = compileCalendar({ ...base, week: { ...base.week, 1: null }, extraWorkingDays: ['2026-12-26'] });
    expect(hoursOn(cal2, '2026-12-26')).toEqual({ start: 9 * 60, end: 16 * 60 }); // Tuesday's
  });

  it.each([
    ['Asia/Omsk', '2026-12-01T03:00:00.000Z', '2026-12-01T07:00:00.000Z', '2026-12-01T08:00:00.000Z', '2026-12-01T10:00:00.000Z'], // +6
    ['Asia/Kamchatka', '2026-11-30T21:00:00.000Z', '2026-12-01T01:00:00.000Z', '2026-12-01T02:00:00.000Z', '2026-12-01T04:00:00.000Z'], // +12
    ['Europe/Kaliningrad', '2026-12-01T07:00:00.000Z', '2026-12-01T11:00:00.000Z', '2026-12-01T12:00:00.000Z', '2026-12-01T14:00:00.000Z'], // +2
  ])('turns Tuesday 1 December into instants in %s', (zone, open, lunchStart, lunchEnd, close) => {
    const day = workingHoursOn(sedelnikovo(zone), '2026-12-01')!;
    expect([iso(day.open), iso(day.lunch?.start), iso(day.lunch?.end), iso(day.close)]).toEqual([open, lunchStart, lunchEnd, close]);
  });

  it('finds the local date of an instant: 13:00 UTC on 1 December is already 2 December in Kamchatka', () => {
    const t = Date.parse('2026-12-01T13:00:00Z');
    expect(localDateOf('Asia/Kamchatka', t)).toBe('2026-12-02');
    expect(localDateOf('Europe/Kaliningrad', t)).toBe('2026-12-01');
  });
});

describe('wall clock across a DST change (Europe/Berlin)', () => {
  const berlin = sedelnikovo('Europe/Berlin');

  it('opens at 09:00 local before and after the spring change (08:00Z → 07:00Z)', () => {
    expect(iso(workingHoursOn(berlin, '2026-03-27')!.open)).toBe('2026-03-27T08:00:00.000Z');
    expect(iso(workingHoursOn(berlin, '2026-03-30')!.open)).toBe('2026-03-30T07:00:00.000Z');
  });

  it('opens at 09:00 local before and after the autumn change (07:00Z → 08:00Z)', () => {
    expect(iso(workingHoursOn(berlin, '2026-10-23')!.open)).toBe('2026-10-23T07:00:00.000Z');
    expect(iso(workingHoursOn(berlin, '2026-10-26')!.open)).toBe('2026-10-26T08:00:00.000Z');
  });

  it('knows the change days are 23 and 25 hours long, and resolves the spring gap forward', () => {
    const spring = dayClock('Europe/Berlin', '2026-03-29');
    expect((spring.endMs - spring.startMs) / 3_600_000).toBe(23);
    expect(new Date(spring.at(9 * 60)).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(new Date(spring.at(2 * 60 + 30)).toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 02:30 does not exist → 03:30 CEST
    const autumn = dayClock('Europe/Berlin', '2026-10-25');
    expect((autumn.endMs - autumn.startMs) / 3_600_000).toBe(25);
    expect(new Date(autumn.at(9 * 60)).toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });
});

describe('malformed calendars and schedules', () => {
  const good = sedelnikovo();

  it('accepts the seed calendar', () => expect(calendarProblems(good)).toEqual([]));

  it.each<[string, InstitutionCalendar]>([
    ['an unknown zone', { ...good, timeZone: 'Asia/Atlantis' }],
    ['a fixed offset instead of a zone', { ...good, timeZone: '+06:00' }],
    ['a malformed time', { ...good, week: { ...good.week, 2: { start: '9:00', end: '16:00' } } }],
    ['an end before the start', { ...good, week: { ...good.week, 2: { start: '16:00', end: '09:00' } } }],
    ['a bad lunch', { ...good, lunch: { start: '14:00', end: '13:00' } }],
    ['a bad holiday date', { ...good, daysOff: ['2026-02-30'] }],
    ['no working weekday', { ...good, week: { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null, 7: null } }],
  ])('reports %s as calendar_invalid, and the rules refuse to run on it', (_what, cal) => {
    expect(calendarProblems(cal).map((p) => p.code)).toContain('calendar_invalid');
    expect(() => compileCalendar(cal)).toThrow(RangeError);
  });

  it('reports schedule blocks outside the month or with start after end', () => {
    const s = approved('s1', '2026-12', ['2026-12-01', '2027-01-11']);
    s.blocks.push({ date: '2026-12-02', start: '12:00', end: '11:00' });
    expect(scheduleProblems(s).map((p) => p.message)).toEqual([expect.stringContaining('blocks[1]'), expect.stringContaining('blocks[2]')]);
    expect(scheduleProblems(approved('s1', '2026-12', ['2026-12-01']))).toEqual([]);
  });
});
