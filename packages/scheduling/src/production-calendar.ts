// The Russian production calendar: the non-working public holidays of Labour Code art. 112,
// plus each shipped year's transferred days off, worked weekend days and shortened
// pre-holiday days (production-calendar-data.ts), and its merge into an institution's
// own calendar.
import type { InstitutionCalendar } from './calendar.ts';
import { weekdayOf, type LocalDate } from './local-date.ts';
import { PRODUCTION_CALENDAR_DATA } from './production-calendar-data.ts';

/** Labour Code art. 112 part 1: non-working public holidays, 'MM-DD'. */
export const ART_112_HOLIDAYS: readonly string[] = [
  '01-01',
  '01-02',
  '01-03',
  '01-04',
  '01-05',
  '01-06',
  '01-07',
  '01-08',
  '02-23',
  '03-08',
  '05-01',
  '05-09',
  '06-12',
  '11-04',
];

export interface ProductionCalendar {
  year: number;
  /**
   * True when the year's decree is shipped. False: only the art. 112 holidays are known —
   * transfers and shortened days are not, and the admin must confirm the year's days off.
   */
  known: boolean;
  /** The decree cited for the year, or null when not known. */
  decree: string | null;
  /** The art. 112 holidays of the year (some may fall on a weekend). */
  holidays: LocalDate[];
  /** Every non-working date besides ordinary Saturdays and Sundays: holidays and transferred days off. Sorted. */
  daysOff: LocalDate[];
  /** Saturdays and Sundays that are working days by the decree. Sorted. */
  workedWeekendDays: LocalDate[];
  /** Shortened pre-holiday working days (art. 95). Sorted. */
  shortDays: LocalDate[];
}

const isWeekend = (date: LocalDate) => weekdayOf(date) >= 6;
const sorted = (dates: Iterable<LocalDate>) => [...new Set(dates)].sort();

/** The year's production calendar; `known: false` when no decree is shipped for it. */
export function productionCalendar(year: number): ProductionCalendar {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`year must be a whole number 1..9999, not ${year}`);
  const yyyy = String(year).padStart(4, '0');
  const holidays = ART_112_HOLIDAYS.map((md) => `${yyyy}-${md}`);
  const data = PRODUCTION_CALENDAR_DATA[year];
  if (!data) return { year, known: false, decree: null, holidays, daysOff: holidays, workedWeekendDays: [], shortDays: [] };
  const holidaySet = new Set(holidays);
  return {
    year,
    known: true,
    decree: data.decree,
    holidays,
    daysOff: sorted([...holidays, ...data.transfers.map((t) => t.to), ...data.holidayShifts.map((s) => s.to)]),
    workedWeekendDays: sorted(data.transfers.filter((t) => !holidaySet.has(t.from) && isWeekend(t.from)).map((t) => t.from)),
    shortDays: sorted(data.shortDays),
  };
}

/** Whether the production calendar of a year is shipped (else the admin confirms the days off). */
export function isProductionYearKnown(year: number): boolean {
  return PRODUCTION_CALENDAR_DATA[year] !== undefined;
}

export interface MergedCalendar {
  calendar: InstitutionCalendar;
  /** Years merged with holidays only (no decree shipped): ask the admin to confirm their days off. */
  unknownYears: number[];
}

/**
 * The institution's calendar with the national one of `years` added: its own days off stay,
 * the national days off, worked weekend days and shortened days are added. A date that is a
 * day off in either list stays one (daysOff wins in the calendar rules).
 */
export function withProductionCalendar(calendar: InstitutionCalendar, years: readonly number[]): MergedCalendar {
  const national = [...new Set(years)].sort((a, b) => a - b).map(productionCalendar);
  return {
    calendar: {
      ...calendar,
      daysOff: sorted([...calendar.daysOff, ...national.flatMap((p) => p.daysOff)]),
      extraWorkingDays: sorted([...(calendar.extraWorkingDays ?? []), ...national.flatMap((p) => p.workedWeekendDays)]),
      shortDays: sorted([...(calendar.shortDays ?? []), ...national.flatMap((p) => p.shortDays)]),
    },
    unknownYears: national.filter((p) => !p.known).map((p) => p.year),
  };
}
