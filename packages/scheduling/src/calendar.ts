// An institution's working calendar: weekly hours, lunch, holidays and transferred working
// days, in its own IANA time zone. Plain data (a database row maps onto it); the functions
// here turn one local date into instants.
import { isLocalDate, parseHhmm, weekdayOf, type LocalDate, type Weekday } from './local-date.ts';
import { violation, type Violation } from './violations.ts';
import { dayClock, isIanaZone } from './zone-clock.ts';

/** Wall-clock times 'HH:mm' in the institution's zone; `start` < `end`, the same day. */
export interface HoursRange {
  start: string;
  end: string;
}

export interface InstitutionCalendar {
  /** IANA name, e.g. 'Asia/Omsk' (never a fixed offset). */
  timeZone: string;
  /** Luxon weekdays: 1 = Monday … 7 = Sunday; null = not a working day. */
  week: Record<Weekday, HoursRange | null>;
  /** The same every working day; null = no lunch break. */
  lunch: HoursRange | null;
  /** 'YYYY-MM-DD': holidays and other local days off. Wins over everything else. */
  daysOff: string[];
  /**
   * 'YYYY-MM-DD': days off by the weekly pattern that are worked this year (a Saturday
   * taken by a holiday transfer). They are worked with Monday's hours — a transfer usually
   * moves a Monday or a Friday off, and Monday is the full day — or, if Monday has none,
   * with the first weekday that has hours. A date in both lists stays a day off (the
   * cautious reading of contradictory data: nobody is booked on a possible holiday).
   */
  extraWorkingDays?: string[];
  /**
   * 'YYYY-MM-DD': shortened pre-holiday days (Labour Code art. 95): a working day that
   * closes one hour earlier. A day whose hours are an hour or less has no hours left.
   */
  shortDays?: string[];
}

/** How much earlier a shortened pre-holiday day closes (art. 95: one hour). */
export const SHORT_DAY_MINUTES = 60;

export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/** Minutes since local midnight. */
export interface MinuteRange {
  start: number;
  end: number;
}

/** A working day in instants (epoch ms), computed from the wall-clock calendar. */
export interface WorkingDay {
  date: LocalDate;
  open: number;
  close: number;
  /** Only when lunch falls (at least partly) inside the working hours. */
  lunch: { start: number; end: number } | null;
}

/** The calendar parsed once per call: minutes instead of strings, sets instead of arrays. */
export interface CompiledCalendar {
  zone: string;
  week: ReadonlyMap<Weekday, MinuteRange>;
  lunch: MinuteRange | null;
  daysOff: ReadonlySet<LocalDate>;
  extraWorkingDays: ReadonlySet<LocalDate>;
  shortDays: ReadonlySet<LocalDate>;
  extraDayHours: MinuteRange | null;
}

function parseRange(range: HoursRange): MinuteRange | null {
  const start = parseHhmm(range.start);
  const end = parseHhmm(range.end);
  return start !== null && end !== null && start < end ? { start, end } : null;
}

/** What is wrong with a calendar (empty = usable). The database layer checks before saving. */
export function calendarProblems(calendar: InstitutionCalendar): Violation[] {
  const problems: Violation[] = [];
  const bad = (what: string) => problems.push(violation('calendar_invalid', what));
  if (!isIanaZone(calendar.timeZone)) bad(`timeZone ${JSON.stringify(calendar.timeZone)} is not an IANA time zone`);
  let working = 0;
  for (const d of WEEKDAYS) {
    const hours = calendar.week?.[d];
    if (hours === undefined) bad(`week[${d}] is missing (use null for a day off)`);
    else if (hours !== null) {
      if (parseRange(hours)) working++;
      else bad(`week[${d}] ${JSON.stringify(hours)} is not 'HH:mm'–'HH:mm' with start before end`);
    }
  }
  if (working === 0) bad('no weekday has working hours');
  if (calendar.lunch !== null && !parseRange(calendar.lunch)) {
    bad(`lunch ${JSON.stringify(calendar.lunch)} is not 'HH:mm'–'HH:mm' with start before end`);
  }
  for (const d of calendar.daysOff ?? []) if (!isLocalDate(d)) bad(`daysOff has ${JSON.stringify(d)}, not a YYYY-MM-DD date`);
  for (const d of calendar.extraWorkingDays ?? []) {
    if (!isLocalDate(d)) bad(`extraWorkingDays has ${JSON.stringify(d)}, not a YYYY-MM-DD date`);
  }
  for (const d of calendar.shortDays ?? []) if (!isLocalDate(d)) bad(`shortDays has ${JSON.stringify(d)}, not a YYYY-MM-DD date`);
  return problems;
}

/**
 * Malformed calendars are configuration errors, not rule violations of a booking: they
 * throw (RangeError) so that they are seen at once instead of silently offering no slots.
 */
export function compileCalendar(calendar: InstitutionCalendar): CompiledCalendar {
  let compiled = compiledCalendars.get(calendar);
  if (compiled === undefined) compiledCalendars.set(calendar, (compiled = compile(calendar)));
  return compiled;
}

// A calendar is a value: compiled (checked, parsed, its day lists made sets) once per object,
// so that a search over every specialist of an institution — one calendar, many searches —
// does not check and parse the same ~40 holiday dates again for each one. Never mutate a
// calendar object after use; build a new one (the server reads it anew for every request).
const compiledCalendars = new WeakMap<InstitutionCalendar, CompiledCalendar>();

function compile(calendar: InstitutionCalendar): CompiledCalendar {
  const problems = calendarProblems(calendar);
  if (problems.length > 0) throw new RangeError(`invalid institution calendar: ${problems.map((p) => p.message).join('; ')}`);
  const week = new Map<Weekday, MinuteRange>();
  for (const d of WEEKDAYS) {
    const hours = calendar.week[d];
    if (hours) week.set(d, parseRange(hours)!);
  }
  const extraDayHours = week.get(1) ?? WEEKDAYS.map((d) => week.get(d)).find((h) => h !== undefined) ?? null;
  return {
    zone: calendar.timeZone,
    week,
    lunch: calendar.lunch ? parseRange(calendar.lunch) : null,
    daysOff: new Set(calendar.daysOff),
    extraWorkingDays: new Set(calendar.extraWorkingDays ?? []),
    shortDays: new Set(calendar.shortDays ?? []),
    extraDayHours,
  };
}

/** Working hours of a local date in wall-clock minutes, or null on a day off. */
export function hoursOn(cal: CompiledCalendar, date: LocalDate, weekday: Weekday = weekdayOf(date)): MinuteRange | null {
  if (cal.daysOff.has(date)) return null;
  const hours = cal.week.get(weekday) ?? (cal.extraWorkingDays.has(date) ? cal.extraDayHours : null);
  if (!hours || !cal.shortDays.has(date)) return hours;
  const end = hours.end - SHORT_DAY_MINUTES;
  return end > hours.start ? { start: hours.start, end } : null;
}

/** A local date's working day as instants, or null on a day off. */
export function workingDay(cal: CompiledCalendar, date: LocalDate, hours: MinuteRange | null = hoursOn(cal, date)): WorkingDay | null {
  if (!hours) return null;
  const clock = dayClock(cal.zone, date);
  const open = clock.at(hours.start);
  const close = clock.at(hours.end);
  const lunch = cal.lunch && cal.lunch.start < hours.end && hours.start < cal.lunch.end ? cal.lunch : null;
  return { date, open, close, lunch: lunch ? { start: clock.at(lunch.start), end: clock.at(lunch.end) } : null };
}

export function isWorkingDay(calendar: InstitutionCalendar, date: LocalDate): boolean {
  return hoursOn(compileCalendar(calendar), date) !== null;
}

/** The working day of a local date with `Date`s, for callers outside this package. */
export function workingHoursOn(
  calendar: InstitutionCalendar,
  date: LocalDate,
): { open: Date; close: Date; lunch: { start: Date; end: Date } | null } | null {
  const day = workingDay(compileCalendar(calendar), date);
  if (!day) return null;
  return {
    open: new Date(day.open),
    close: new Date(day.close),
    lunch: day.lunch ? { start: new Date(day.lunch.start), end: new Date(day.lunch.end) } : null,
  };
}
