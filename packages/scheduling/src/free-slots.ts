// Rule 4: where a new consultation of a given length can start. The candidates are a
// wall-clock grid (every `stepMinutes` from local midnight: 09:30, 09:45 … whatever the
// zone or DST), and each one is judged by the same predicates as validateBooking.
import type { Booking } from './booking.ts';
import { compileCalendar, hoursOn, workingDay, type CompiledCalendar, type InstitutionCalendar, type WorkingDay } from './calendar.ts';
import { formatLocalDate, localDateToUtcMs, monthOf, weekdayOfUtcMs } from './local-date.ts';
import { buildOccupancy, isOccupied } from './occupancy.ts';
import { approvedBlocksFrom, indexApprovedBlocks, type SpecialistMonthSchedule } from './schedule.ts';
import { fitsDay, isValidDuration, slotTimes } from './slot-rules.ts';
import { dayClock, localDateOf, type DayClock } from './zone-clock.ts';

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
  /** False for a consultation by telephone: the starts need no free pre-check window. */
  precheck?: boolean;
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
  const precheck = query.precheck !== false;
  const slots: Date[] = [];
  // Local dates are stepped through as UTC-midnight ms: integer steps, no date parsing.
  const lastDay = localDateToUtcMs(localDateOf(cal.zone, toMs - 1));
  for (let dayMs = localDateToUtcMs(localDateOf(cal.zone, fromMs)); dayMs <= lastDay; dayMs += DAY_MS) {
    const d = searchDay(cal, dayMs, step);
    if (d === null || d.month !== schedule.month) continue;
    const blocks = approvedBlocksFrom(approved, d.clock);
    if (!blocks || blocks.length === 0) continue;
    const { day, starts } = d;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      if (start < fromMs) continue;
      if (start >= toMs) break;
      const slot = slotTimes(start, durationMinutes, precheck);
      if (slot.precheckStart < nowMs) continue;
      if (!fitsDay(day, blocks, slot) || isOccupied(occupancy, slot.precheckStart, slot.end)) continue;
      slots.push(new Date(start));
    }
  }
  return slots;
}

/** What the search needs of one local date: the same for every specialist of the institution. */
interface SearchDay {
  month: string;
  clock: DayClock;
  day: WorkingDay;
  /** The grid's candidate starts within the day's hours, unique and ascending (epoch ms). */
  starts: Float64Array;
}

// Memoised per compiled calendar (compileCalendar keeps one per calendar object): a search
// over every specialist of an institution works the calendar out once per day, not once per
// specialist. Bounded like the day clocks.
const SEARCH_DAY_CACHE_LIMIT = 5_000;
const searchDays = new WeakMap<CompiledCalendar, Map<string, SearchDay | null>>();

function searchDay(cal: CompiledCalendar, dayMs: number, step: number): SearchDay | null {
  let days = searchDays.get(cal);
  if (days === undefined) searchDays.set(cal, (days = new Map()));
  const key = `${dayMs} ${step}`;
  let d = days.get(key);
  if (d === undefined) {
    if (days.size >= SEARCH_DAY_CACHE_LIMIT) days.clear();
    days.set(key, (d = makeSearchDay(cal, dayMs, step)));
  }
  return d;
}

function makeSearchDay(cal: CompiledCalendar, dayMs: number, step: number): SearchDay | null {
  const date = formatLocalDate(dayMs);
  const hours = hoursOn(cal, date, weekdayOfUtcMs(dayMs));
  if (!hours) return null;
  const clock = dayClock(cal.zone, date);
  const starts: number[] = [];
  let last = -Infinity;
  // A valid start lies within the day's hours, so only grid minutes there are tried.
  for (let m = Math.ceil(hours.start / step) * step; m <= hours.end; m += step) {
    const start = clock.at(m);
    // A minute inside a spring-forward gap resolves to a later instant that may repeat
    // a grid point, or (at the very end of a day) leave the day: keep starts unique and on this day.
    if (start <= last || start < clock.startMs || start >= clock.endMs) continue;
    starts.push(start);
    last = start;
  }
  return { month: monthOf(date), clock, day: workingDay(cal, date, hours)!, starts: Float64Array.from(starts) };
}
