// Wall-calendar dates ('YYYY-MM-DD') and wall-clock times ('HH:mm' → minutes of the day).
// A local date names a day in some institution's calendar; it is not an instant, so the
// arithmetic here needs no time zone (Date.UTC is used only as a proleptic calendar).

/** 'YYYY-MM-DD' in the institution's own calendar. */
export type LocalDate = string;
/** Luxon's weekday numbering: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const DAY_MS = 86_400_000;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Parses a real calendar day ('2026-02-30' is refused, not rolled over). */
export function parseLocalDate(date: string): CivilDate | null {
  // Hand-rolled rather than a RegExp and a Date: the slot search parses thousands per call.
  if (typeof date !== 'string' || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  const year = digits(date, 0, 4);
  const month = digits(date, 5, 7);
  const day = digits(date, 8, 10);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** The number written in s[from, to), or -1 if any character is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isLocalDate(date: string): boolean {
  return parseLocalDate(date) !== null;
}

export function isLocalMonth(month: string): boolean {
  return MONTH_RE.test(month);
}

function civilToUtcMs(date: LocalDate): number {
  const c = parseLocalDate(date);
  if (!c) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return Date.UTC(c.year, c.month - 1, c.day);
}

export function formatLocalDate(utcMidnightMs: number): LocalDate {
  const d = new Date(utcMidnightMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${y}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`;
}

/** The local date as epoch ms of its midnight in UTC: days are then plain integers to step through. */
export function localDateToUtcMs(date: LocalDate): number {
  return civilToUtcMs(date);
}

/** Weekday of a date given as its UTC-midnight ms (1970-01-01 was a Thursday). */
export function weekdayOfUtcMs(utcMidnightMs: number): Weekday {
  return (((((Math.floor(utcMidnightMs / DAY_MS) + 3) % 7) + 7) % 7) + 1) as Weekday;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return formatLocalDate(civilToUtcMs(date) + n * DAY_MS);
}

export function weekdayOf(date: LocalDate): Weekday {
  return weekdayOfUtcMs(civilToUtcMs(date));
}

/** 'YYYY-MM' of a date. */
export function monthOf(date: LocalDate): string {
  return date.slice(0, 7);
}

/** 'HH:mm' → minutes since the start of the day, or null when malformed (00:00 … 23:59). */
export function parseHhmm(time: string): number | null {
  if (typeof time !== 'string' || time.length !== 5 || time.charCodeAt(2) !== 58) return null;
  const h = digits(time, 0, 2);
  const m = digits(time, 3, 5);
  return h >= 0 && h <= 23 && m >= 0 && m <= 59 ? h * 60 + m : null;
}

export function formatHhmm(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
