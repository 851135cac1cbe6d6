// Rule 4: where a new consultation of a given length can start. The candidates are a
// wall-clock grid (every `stepMinutes` from local midnight: 09:30, 09:45 … whatever the
// zone or DST), and each one is judged by the same predicates as validateBooking.
import type { Booking } from './booking.ts';
import { compileCalendar, hoursOn, workingDay, type InstitutionCalendar } from './calendar.ts';
import { formatLocalDate, localDateToUtcMs, monthOf, weekdayOfUtcMs } from './local-date.ts';
import { buildOccupancy, isOccupied } from './occupancy.ts';
import { approvedBlocksFrom, indexApprovedBlocks, type SpecialistMonthSchedule } from './schedule.ts';
import { fitsDay, isValidDuration, slotTimes } from './slot-rules.ts';
import { dayClock, localDateOf } from './zone-clock.ts';

export interface FreeSlotsQuery {
  calendar: InstitutionCalendar;
  /** The specialist's schedule for the month searched; a draft offers nothing. */
  schedule: SpecialistMonthSchedule;
  /** Any bookings; the schedule's specialist's time-holding ones are avoided. */
  bookings: readonly Booking[];
  /** Starts are searched in [from, to). */
  from: Date;
  to: Date;
  durationMinutes: number;
  /** Grid of candidate starts in wall-clock minutes from local midnight (default 15). */
  stepMinutes?: number;
  /** When given, starts whose pre-check would begin before `now` are left out (as validateBooking does). */
  now?: Date;
  /** Searching for a new time for this booking: its current interval does not count. */
  excludeBookingId?: string;
}

export const DEFAULT_STEP_MINUTES = 15;

const DAY_MS = 86_400_000;

/** Valid starts (rules 1–3) in [from, to), ascending, as UTC instants. */
export function freeSlots(query: FreeSlotsQuery): Date[] {
  const step = query.stepMinutes ?? DEFAULT_STEP_MINUTES;
  if (!Number.isInteger(step) || step < 1 || step > 1440) throw new RangeError(`stepMinutes must be 1..1440 whole minutes, not ${step}`);
  const cal = compileCalendar(query.calendar);
  const { schedule, durationMinutes } = query;
  const fromMs = query.from.getTime();
  const toMs = query.to.getTime();
  if (!isValidDuration(durationMinutes) || schedule.status !== 'approved' || !(fromMs < toMs)) return [];

  // Indexed once per search: the specialist's occupied intervals and blocks by date.
  const occupancy = buildOccupancy(query.bookings, schedule.specialistId, query.excludeBookingId);
  const approved = indexApprovedBlocks([schedule], schedule.specialistId);
  const nowMs = query.now?.getTime() ?? -Infinity;
  const slots: Date[] = [];
  let last = -Infinity;
  // Local dates are stepped through as UTC-midnight ms: integer steps, no date parsing.
  const lastDay = localDateToUtcMs(localDateOf(cal.zone, toMs - 1));
  for (let dayMs = localDateToUtcMs(localDateOf(cal.zone, fromMs)); dayMs <= lastDay; dayMs += DAY_MS) {
    const date = formatLocalDate(dayMs);
    if (monthOf(date) !== schedule.month) continue;
    const hours = hoursOn(cal, date, weekdayOfUtcMs(dayMs));
    if (!hours) continue;
    const clock = dayClock(cal.zone, date);
    const blocks = approvedBlocksFrom(approved, clock);
    if (!blocks || blocks.length === 0) continue;
    const day = workingDay(cal, date, hours)!;
    // A valid start lies within the day's hours, so only grid minutes there are tried.
    for (let m = Math.ceil(hours.start / step) * step; m <= hours.end; m += step) {
      const start = clock.at(m);
      // A minute inside a spring-forward gap resolves to a later instant that may repeat
      // a grid point, or (at the very end of a day) leave the day: keep starts unique and on this day.
      if (start <= last || start < clock.startMs || start >= clock.endMs) continue;
      if (start < fromMs || start >= toMs) continue;
      const slot = slotTimes(start, durationMinutes);
      if (slot.precheckStart < nowMs) continue;
      if (!fitsDay(day, blocks, slot) || isOccupied(occupancy, slot.precheckStart, slot.end)) continue;
      slots.push(new Date(start));
      last = start;
    }
  }
  return slots;
}
