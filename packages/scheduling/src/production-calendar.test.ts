// The shipped production calendar, year by year, against the decrees as published
// (sources in production-calendar-data.ts), and its merge into an institution's calendar.
import { describe, expect, it } from '@jest/globals';
import {
  addDays,
  isProductionYearKnown,
  productionCalendar,
  weekdayOf,
  withProductionCalendar,
  workingHoursOn,
  type InstitutionCalendar,
  type ProductionCalendar,
} from './index.ts';
import { PRODUCTION_CALENDAR_DATA } from './production-calendar-data.ts';

/** Non-working dates of a year on the five-day week. */
function nonWorking(p: ProductionCalendar): Set<string> {
  const off = new Set<string>();
  const daysOff = new Set(p.daysOff);
  const worked = new Set(p.workedWeekendDays);
  for (let d = `${p.year}-01-01`; d.startsWith(String(p.year)); d = addDays(d, 1)) {
    if (daysOff.has(d) || (weekdayOf(d) >= 6 && !worked.has(d))) off.add(d);
  }
  return off;
}

const range = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

/** The published rest periods: every day in them is off, the days around them (inside the year) are worked. */
function expectRestPeriods(p: ProductionCalendar, periods: [string, string][]) {
  const off = nonWorking(p);
  for (const [from, to] of periods) {
    for (const d of range(from, to)) expect([d, off.has(d)]).toEqual([d, true]);
    for (const d of [addDays(from, -1), addDays(to, 1)]) {
      if (d.startsWith(String(p.year))) expect([d, off.has(d)]).toEqual([d, false]);
    }
  }
}

function expectTotals(p: ProductionCalendar) {
  const off = nonWorking(p).size;
  const days = range(`${p.year}-01-01`, `${p.year}-12-31`).length;
  expect({ workingDays: days - off, daysOff: off }).toEqual(PRODUCTION_CALENDAR_DATA[p.year]!.totals);
}

describe('production calendar 2025 (decree of 04.10.2024 № 1335)', () => {
  const p = productionCalendar(2025);

  it('is known and cites its decree', () => {
    expect(p.known).toBe(true);
    expect(p.decree).toContain('№ 1335');
  });

  it('has exactly the published weekday days off, worked Saturday and shortened days', () => {
    expect(p.daysOff.filter((d) => weekdayOf(d) <= 5)).toEqual([
      ...['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-06', '2025-01-07', '2025-01-08'],
      ...['2025-05-01', '2025-05-02', '2025-05-08', '2025-05-09'],
      ...['2025-06-12', '2025-06-13', '2025-11-03', '2025-11-04', '2025-12-31'],
    ]);
    expect(p.workedWeekendDays).toEqual(['2025-11-01']);
    expect(p.shortDays).toEqual(['2025-03-07', '2025-04-30', '2025-06-11', '2025-11-01']);
  });

  it('gives the published rest periods and 247 working / 118 days off', () => {
    expectRestPeriods(p, [
      ['2025-01-01', '2025-01-08'],
      ['2025-02-22', '2025-02-23'],
      ['2025-03-08', '2025-03-09'],
      ['2025-05-01', '2025-05-04'],
      ['2025-05-08', '2025-05-11'],
      ['2025-06-12', '2025-06-15'],
      ['2025-11-02', '2025-11-04'],
      ['2025-12-31', '2025-12-31'],
    ]);
    expectTotals(p);
  });
});

describe('production calendar 2026 (decree of 24.09.2025 № 1466)', () => {
  const p = productionCalendar(2026);

  it('is known and cites its decree', () => {
    expect(p.known).toBe(true);
    expect(p.decree).toContain('№ 1466');
  });

  it('has exactly the published weekday days off, no worked weekend day, and the shortened days', () => {
    expect(p.daysOff.filter((d) => weekdayOf(d) <= 5)).toEqual([
      ...['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09'],
      ...['2026-02-23', '2026-03-09', '2026-05-01', '2026-05-11', '2026-06-12', '2026-11-04', '2026-12-31'],
    ]);
    expect(p.workedWeekendDays).toEqual([]);
    expect(p.shortDays).toEqual(['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03']);
  });

  it('gives the published rest periods and 247 working / 118 days off', () => {
    expectRestPeriods(p, [
      ['2026-01-01', '2026-01-11'],
      ['2026-02-21', '2026-02-23'],
      ['2026-03-07', '2026-03-09'],
      ['2026-05-01', '2026-05-03'],
      ['2026-05-09', '2026-05-11'],
      ['2026-06-12', '2026-06-14'],
      ['2026-11-04', '2026-11-04'],
      ['2026-12-31', '2026-12-31'],
    ]);
    expectTotals(p);
  });
});

describe('shipped data', () => {
  it('is consistent: transfers leave a weekend for a weekday, shortened days are working weekdays or worked weekend days', () => {
    for (const year of Object.keys(PRODUCTION_CALENDAR_DATA).map(Number)) {
      const data = PRODUCTION_CALENDAR_DATA[year]!;
      const p = productionCalendar(year);
      const off = nonWorking(p);
      for (const t of data.transfers) {
        expect([t.from, weekdayOf(t.from) >= 6]).toEqual([t.from, true]);
        expect([t.to, weekdayOf(t.to) <= 5]).toEqual([t.to, true]);
      }
      for (const s of data.holidayShifts) expect(p.holidays).toContain(s.holiday);
      for (const d of p.shortDays) expect([d, off.has(d)]).toEqual([d, false]);
    }
  });
});

describe('a year without a shipped decree', () => {
  it('says so and knows only the art. 112 holidays', () => {
    const p = productionCalendar(2027);
    expect(isProductionYearKnown(2027)).toBe(false);
    expect(p).toMatchObject({ year: 2027, known: false, decree: null, workedWeekendDays: [], shortDays: [] });
    expect(p.daysOff).toEqual(p.holidays);
    expect(p.holidays).toEqual([
      ...['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'],
      ...['2027-02-23', '2027-03-08', '2027-05-01', '2027-05-09', '2027-06-12', '2027-11-04'],
    ]);
  });

  it('rejects a year that is not a whole number', () => {
    expect(() => productionCalendar(2025.5)).toThrow(RangeError);
  });
});

describe('withProductionCalendar', () => {
  const own: InstitutionCalendar = {
    timeZone: 'Asia/Omsk',
    week: {
      1: { start: '09:00', end: '18:00' },
      2: { start: '09:00', end: '18:00' },
      3: { start: '09:00', end: '18:00' },
      4: { start: '09:00', end: '18:00' },
      5: { start: '09:00', end: '16:45' },
      6: null,
      7: null,
    },
    lunch: { start: '13:00', end: '13:48' },
    daysOff: ['2025-08-15'],
    extraWorkingDays: [],
  };
  const { calendar, unknownYears } = withProductionCalendar(own, [2026, 2025, 2027]);
  const hours = (date: string) => {
    const h = workingHoursOn(calendar, date);
    return h && [h.open.toISOString(), h.close.toISOString()];
  };

  it('keeps the institution’s own days off and adds the national ones', () => {
    expect(calendar.daysOff).toContain('2025-08-15');
    expect(calendar.daysOff).toEqual(expect.arrayContaining(['2025-05-02', '2025-11-03', '2026-01-09', '2027-01-04']));
    expect(unknownYears).toEqual([2027]);
    expect(withProductionCalendar(own, [2025, 2026]).unknownYears).toEqual([]);
  });

  it('works a transferred Saturday, shortened, with Monday’s hours, and closes an hour early before a holiday', () => {
    // Asia/Omsk is UTC+6: 09:00 local = 03:00Z
    expect(hours('2025-11-01')).toEqual(['2025-11-01T03:00:00.000Z', '2025-11-01T11:00:00.000Z']); // Sat, 09:00–17:00
    expect(hours('2026-05-08')).toEqual(['2026-05-08T03:00:00.000Z', '2026-05-08T09:45:00.000Z']); // Fri, 09:00–15:45
    expect(hours('2026-04-30')).toEqual(['2026-04-30T03:00:00.000Z', '2026-04-30T11:00:00.000Z']); // Thu, 09:00–17:00
    expect(hours('2025-03-10')).toEqual(['2025-03-10T03:00:00.000Z', '2025-03-10T12:00:00.000Z']); // an ordinary Monday
    expect(hours('2026-05-11')).toBeNull(); // art. 112 part 2: 9 May on a Saturday moves to Monday
    expect(hours('2025-11-03')).toBeNull();
    expect(hours('2025-08-15')).toBeNull();
  });

  it('an institution’s own day off wins over a national worked Saturday', () => {
    const merged = withProductionCalendar({ ...own, daysOff: ['2025-11-01'] }, [2025]).calendar;
    expect(workingHoursOn(merged, '2025-11-01')).toBeNull();
  });
});
