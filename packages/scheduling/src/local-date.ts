// Wall-calendar dates ('YYYY-MM-DD') and wall-clock times ('HH:mm' → minutes of the day).
// A local date names a day in some institution's calendar; it is not an instant, so the
// arithmetic here needs no time zone (Date.UTC is used only as a proleptic calendar).

/** 'YYYY-MM-DD' in the institution's own calendar. */
export type LocalDate = string;
/** Luxon's weekday numbering: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Parses a real calendar day ('2026-02-30' is refused, not rolled over). */
export function parseLocalDate(date: string): CivilDate | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
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
  return new Date(utcMidnightMs).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return formatLocalDate(civilToUtcMs(date) + n * DAY_MS);
}

export function weekdayOf(date: LocalDate): Weekday {
  const sundayZero = new Date(civilToUtcMs(date)).getUTCDay();
  return (sundayZero === 0 ? 7 : sundayZero) as Weekday;
}

/** 'YYYY-MM' of a date. */
export function monthOf(date: LocalDate): string {
  return date.slice(0, 7);
}

/** 'HH:mm' → minutes since the start of the day, or null when malformed (00:00 … 23:59). */
export function parseHhmm(time: string): number | null {
  const m = HHMM_RE.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function formatHhmm(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
