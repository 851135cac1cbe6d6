// The cached day clocks and the date stepping must agree with luxon everywhere, including
// zones whose DST changes at midnight (the local day then starts at 01:00) and odd offsets.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { dayClock, localDateOf, parseHhmm, parseLocalDate, weekdayOf } from './index.ts';

const ZONES = [
  'Europe/Kaliningrad',
  'Asia/Omsk',
  'Asia/Kamchatka',
  'Europe/Berlin',
  'America/Santiago', // DST changes at 24:00 → 01:00
  'America/Havana', // DST changes at 00:00
  'Asia/Kathmandu', // +05:45
  'Australia/Lord_Howe', // 30-minute DST
  'Pacific/Apia', // skipped 30 December 2011 entirely
];
const instantArb = fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2030, 0, 1) });

describe('zone clock (property)', () => {
  it('localDateOf is the local date luxon gives', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instantArb, (zone, ms) => {
        expect(localDateOf(zone, ms)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
      }),
      { numRuns: 400 },
    );
  });

  it('dayClock(date).at(minute) is the instant luxon gives for that wall-clock time', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instantArb, fc.integer({ min: 0, max: 1439 }), (zone, ms, minute) => {
        const date = DateTime.fromMillis(ms, { zone: 'UTC' }).toISODate()!;
        const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
        const expected = DateTime.fromObject({ year: y, month: mo, day: d, hour: Math.floor(minute / 60), minute: minute % 60 }, { zone });
        expect(dayClock(zone, date).at(minute)).toBe(expected.toMillis());
      }),
      { numRuns: 400 },
    );
  });

  it('hand-rolled parsing agrees with the calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const dt = DateTime.fromMillis(ms, { zone: 'UTC' });
        expect(parseLocalDate(dt.toISODate()!)).toEqual({ year: dt.year, month: dt.month, day: dt.day });
        expect(weekdayOf(dt.toISODate()!)).toBe(dt.weekday);
        expect(parseHhmm(dt.toFormat('HH:mm'))).toBe(dt.hour * 60 + dt.minute);
      }),
      { numRuns: 300 },
    );
  });
});

// Days whose offset differs from the day before's, found by a daily scan of 2025–2026 (and Apia's lost day).
const transitionDays: [string, string][] = [['Pacific/Apia', '2011-12-30']];
for (const zone of ZONES) {
  let prev = DateTime.fromISO('2025-01-01T12:00', { zone });
  for (let d = prev.plus({ days: 1 }); d.year < 2027; d = d.plus({ days: 1 })) {
    if (d.offset !== prev.offset) transitionDays.push([zone, d.minus({ days: 1 }).toISODate()!], [zone, d.toISODate()!]);
    prev = d;
  }
}

describe('zone clock around DST transitions (property)', () => {
  it('finds the transitions it is meant to test', () => expect(transitionDays.length).toBeGreaterThan(25));

  it('agrees with luxon on every minute and instant of transition days', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...transitionDays),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: -86_400_000, max: 2 * 86_400_000 }),
        ([zone, date], minute, shift) => {
          const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
          const expected = DateTime.fromObject(
            { year: y, month: mo, day: d, hour: Math.floor(minute / 60), minute: minute % 60 },
            { zone },
          );
          expect(dayClock(zone, date).at(minute)).toBe(expected.toMillis());
          const ms = DateTime.fromISO(date, { zone }).toMillis() + shift;
          expect(localDateOf(zone, ms)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parsing edge cases', () => {
  it.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-01-01', '2026-1-01', '2026-01-01T00:00', 'abcd-ef-gh', ''])(
    'refuses the date %p',
    (s) => expect(parseLocalDate(s)).toBeNull(),
  );
  it('accepts 29 February in leap years', () => {
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate('2000-02-29')).not.toBeNull();
    expect(parseLocalDate('2100-02-29')).toBeNull();
  });
  it.each(['24:00', '9:00', '09:60', '09-00', '0900', ' 9:00', ''])('refuses the time %p', (s) => expect(parseHhmm(s)).toBeNull());
  it('reads 00:00 and 23:59', () => {
    expect(parseHhmm('00:00')).toBe(0);
    expect(parseHhmm('23:59')).toBe(1439);
  });
});
