// Starting points for a month's schedule and the check that a change keeps booked time.
// Pure functions over the institution's calendar (its days off, holidays, transferred and
// shortened days come through compileCalendar / hoursOn, never read here directly).
import {
  addDays,
  compileCalendar,
  dayClock,
  daysInMonth,
  formatHhmm,
  hoursOn,
  localDateOf,
  monthOf,
  parseHhmm,
  type CompiledCalendar,
  type InstitutionCalendar,
  type MinuteRange,
  type ScheduleBlock,
} from '@dp/scheduling';

/** The local dates of a month 'YYYY-MM', in order. */
export function datesOfMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: daysInMonth(y, m) }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

export function previousMonth(month: string): string {
  return monthOf(addDays(`${month}-01`, -1));
}

/** The working hours of a day split by lunch, as blocks. */
function dayBlocks(cal: CompiledCalendar, date: string, hours: MinuteRange): ScheduleBlock[] {
  const lunch = cal.lunch;
  const parts: MinuteRange[] =
    lunch && lunch.start < hours.end && hours.start < lunch.end
      ? [
          { start: hours.start, end: lunch.start },
          { start: lunch.end, end: hours.end },
        ]
      : [hours];
  return parts.filter((p) => p.start < p.end).map((p) => ({ date, start: formatHhmm(p.start), end: formatHhmm(p.end) }));
}

/** «Заполнить по рабочим часам»: every working day of the month, its hours minus lunch. */
export function workingHoursBlocks(calendar: InstitutionCalendar, month: string): ScheduleBlock[] {
  const cal = compileCalendar(calendar);
  return datesOfMonth(month).flatMap((date) => {
    const hours = hoursOn(cal, date);
    return hours ? dayBlocks(cal, date, hours) : [];
  });
}

/**
 * «Скопировать прошлый месяц»: each working day of `month` takes the blocks of the same
 * weekday four (or five) weeks earlier in the previous month — a worked day of it when there
 * is one — clipped to the day's hours. Days off of the new month get nothing.
 */
export function copiedBlocks(calendar: InstitutionCalendar, previous: readonly ScheduleBlock[], month: string): ScheduleBlock[] {
  const cal = compileCalendar(calendar);
  const prev = previousMonth(month);
  const byDate = new Map<string, ScheduleBlock[]>();
  for (const b of previous) byDate.set(b.date, [...(byDate.get(b.date) ?? []), b]);
  const out: ScheduleBlock[] = [];
  for (const date of datesOfMonth(month)) {
    const hours = hoursOn(cal, date);
    if (!hours) continue;
    const candidates = [28, 35, 21, 42, 14, 49].map((n) => addDays(date, -n)).filter((d) => monthOf(d) === prev);
    const source = candidates.find((d) => hoursOn(cal, d) !== null) ?? candidates[0];
    for (const b of source ? (byDate.get(source) ?? []) : []) {
      const start = Math.max(parseHhmm(b.start) ?? 0, hours.start);
      const end = Math.min(parseHhmm(b.end) ?? 0, hours.end);
      if (start < end) out.push({ date, start: formatHhmm(start), end: formatHhmm(end) });
    }
  }
  return out.sort((a, b) => (a.date + a.start < b.date + b.start ? -1 : 1));
}

export interface HeldTime {
  id: string;
  start: Date;
  durationMinutes: number;
}

/**
 * The bookings of `month` (not yet over at `now`) that no single block of `blocks` contains:
 * the time a schedule change would take away from consultations already booked.
 */
export function uncoveredBookings<T extends HeldTime>(
  zone: string,
  month: string,
  blocks: readonly ScheduleBlock[],
  bookings: readonly T[],
  now: Date,
): T[] {
  return bookings.filter((booking) => {
    // The consultation itself (its pre-check may fall before a block, as in the booking rules).
    const held = { start: booking.start.getTime(), end: booking.start.getTime() + booking.durationMinutes * 60_000 };
    if (held.end <= now.getTime()) return false;
    const date = localDateOf(zone, held.start);
    if (monthOf(date) !== month) return false;
    const clock = dayClock(zone, date);
    const covered = blocks.some((b) => {
      const start = parseHhmm(b.start);
      const end = parseHhmm(b.end);
      return b.date === date && start !== null && end !== null && clock.at(start) <= held.start && held.end <= clock.at(end);
    });
    return !covered;
  });
}

/** The instants a local month spans in `zone`: [its first midnight, the next month's). */
export function monthSpan(zone: string, month: string): { from: Date; to: Date } {
  const next = addDays(`${month}-${String(datesOfMonth(month).length).padStart(2, '0')}`, 1);
  return { from: new Date(dayClock(zone, `${month}-01`).startMs), to: new Date(dayClock(zone, next).startMs) };
}
