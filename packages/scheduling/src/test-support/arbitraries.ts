// fast-check generators for the property tests, and an oracle written straight from the
// rules (luxon wall-clock arithmetic, no code shared with the implementation), so that a
// property checks the rules rather than the implementation against itself.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { Booking } from '../booking.ts';
import type { HoursRange, InstitutionCalendar } from '../calendar.ts';
import type { Weekday } from '../local-date.ts';
import { withProductionCalendar } from '../production-calendar.ts';
import type { SpecialistMonthSchedule } from '../schedule.ts';
import { validateBooking } from '../validate-booking.ts';
import { datesOf } from './fixtures.ts';

/** Russia west to east, and a zone with DST (its transitions fall in the months below). */
export const ZONES = ['Europe/Kaliningrad', 'Europe/Moscow', 'Asia/Omsk', 'Asia/Novosibirsk', 'Asia/Kamchatka', 'Europe/Berlin'];
/** December, and the two months with DST transitions in Europe/Berlin. */
export const MONTHS = ['2026-12', '2026-03', '2026-10'];

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

const hoursArb: fc.Arbitrary<HoursRange> = fc
  .record({ start: fc.integer({ min: 14, max: 20 }), end: fc.integer({ min: 30, max: 38 }) })
  .map(({ start, end }) => ({ start: hhmm(start * 30), end: hhmm(end * 30) })); // 07:00–10:00 … 15:00–19:00

const lunchArb: fc.Arbitrary<HoursRange | null> = fc.option(
  fc
    .record({ start: fc.integer({ min: 24, max: 28 }), length: fc.constantFrom(30, 45, 60) })
    .map(({ start, length }) => ({ start: hhmm(start * 30), end: hhmm(start * 30 + length) })), // from 12:00 … 14:00
  { freq: 4 },
);

export interface World {
  calendar: InstitutionCalendar;
  month: string;
  schedules: SpecialistMonthSchedule[];
  specialists: string[];
}

/** Months of the shipped production calendar with holidays, transfers, a worked Saturday and shortened days. */
export const NATIONAL_MONTHS = ['2025-03', '2025-05', '2025-06', '2025-11', '2026-01', '2026-05', '2026-06', '2026-11'];

/** A calendar, a month and 1–3 specialists' schedules for it (mostly approved). */
export const worldArb: fc.Arbitrary<World> = worldArbOf(MONTHS);

/**
 * Worlds in `months`; with `national`, the institution's calendar has the production
 * calendar of the month's year merged in, and aligned blocks follow the merged calendar
 * (a head draws no block on a holiday, and does on a worked Saturday).
 */
export function worldArbOf(months: readonly string[], national = false): fc.Arbitrary<World> {
  return fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      month: fc.constantFrom(...months),
      weekdayHours: fc.array(fc.option(hoursArb, { freq: 6 }), { minLength: 5, maxLength: 5 }),
      weekendHours: fc.array(fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: hoursArb, weight: 1 }), {
        minLength: 2,
        maxLength: 2,
      }),
      fridayShort: fc.boolean(),
      lunch: lunchArb,
      daysOffPicks: fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 4 }),
      extraPicks: fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 3 }),
      shortPicks: fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 3 }),
      specialistCount: fc.integer({ min: 1, max: 3 }),
      scheduleSeeds: fc.array(
        fc.record({
          status: fc.constantFrom<'approved' | 'draft'>('approved', 'approved', 'approved', 'approved', 'draft'),
          blocks: fc.array(
            fc.record({
              // most blocks are drawn inside the day's working hours, as a head would; the rest anywhere 07:00–19:00
              aligned: fc.constantFrom(true, true, false),
              day: fc.integer({ min: 0, max: 30 }),
              start: fc.integer({ min: 28, max: 76 }),
              length: fc.integer({ min: 4, max: 40 }),
            }),
            { minLength: 5, maxLength: 40 },
          ),
        }),
        { minLength: 3, maxLength: 3 },
      ),
    })
    .map((r) => {
      const dates = datesOf(r.month);
      const week = {} as Record<Weekday, HoursRange | null>;
      for (let d = 1; d <= 5; d++) week[d as Weekday] = r.weekdayHours[d - 1] ?? null;
      if (r.fridayShort && week[5])
        week[5] = { start: week[5].start, end: hhmm(Math.max(toMinutes(week[5].start) + 60, toMinutes(week[5].end) - 60)) };
      week[6] = r.weekendHours[0] ?? null;
      week[7] = r.weekendHours[1] ?? null;
      if (Object.values(week).every((h) => h === null)) week[1] = { start: '09:00', end: '16:00' };
      const pick = (i: number) => dates[i % dates.length]!;
      const own: InstitutionCalendar = {
        timeZone: r.timeZone,
        week,
        lunch: r.lunch,
        daysOff: r.daysOffPicks.map(pick),
        extraWorkingDays: r.extraPicks.map(pick),
        shortDays: r.shortPicks.map(pick),
      };
      // the neighbouring years too: a deadline or a search may run past the month's year
      const year = Number(r.month.slice(0, 4));
      const calendar = national ? withProductionCalendar(own, [year - 1, year, year + 1]).calendar : own;
      const specialists = Array.from({ length: r.specialistCount }, (_, i) => `spec-${i}`);
      const schedules = specialists.map((specialistId, i) => {
        const seed = r.scheduleSeeds[i]!;
        return {
          specialistId,
          month: r.month,
          status: seed.status,
          blocks: seed.blocks.map((b) => {
            const hoursOf = (day: number): HoursRange | null => {
              if (!national) return week[DateTime.fromISO(pick(day), { zone: 'UTC' }).weekday as Weekday];
              const h = oracleHours(calendar, pick(day));
              return h && { start: hhmm(h.open), end: hhmm(h.close) };
            };
            let day = b.day;
            if (b.aligned) for (let k = 0; k < 7 && !hoursOf(day); k++) day++;
            const date = pick(day);
            const hours = hoursOf(day);
            if (b.aligned && hours) {
              const open = toMinutes(hours.start);
              const close = toMinutes(hours.end);
              const start = open + Math.floor(((b.start * 15) % (close - open)) / 15) * 15;
              return { date, start: hhmm(start), end: hhmm(Math.min(close, start + b.length * 15)) };
            }
            return { date, start: hhmm(b.start * 15), end: hhmm(Math.min(b.start * 15 + b.length * 15, 23 * 60 + 45)) }; // 07:00 … 19:00 start
          }),
        } satisfies SpecialistMonthSchedule;
      });
      return { calendar, month: r.month, schedules, specialists };
    });
}

export interface CandidateSeed {
  specialist: number;
  /** Most candidates start inside one of the specialist's blocks (else few would be accepted). */
  inBlock: boolean;
  block: number;
  day: number;
  minute: number; // wall-clock minute of the day, 5-minute grid 07:00 … 19:55
  duration: number;
}

export const candidateSeedArb: fc.Arbitrary<CandidateSeed> = fc.record({
  specialist: fc.nat(),
  inBlock: fc.constantFrom(true, true, true, false),
  block: fc.nat(),
  day: fc.integer({ min: 0, max: 30 }),
  minute: fc.integer({ min: 84, max: 239 }).map((m) => m * 5),
  duration: fc.oneof(fc.constantFrom(15, 30, 45, 60), fc.integer({ min: 1, max: 60 })),
});

/** The instant of a candidate seed in the world's zone. */
export function candidateFrom(world: World, seed: CandidateSeed): { specialistId: string; start: Date; durationMinutes: number } {
  const specialistId = world.specialists[seed.specialist % world.specialists.length]!;
  const blocks = world.schedules.find((s) => s.specialistId === specialistId)?.blocks ?? [];
  const dates = datesOf(world.month);
  let date = dates[seed.day % dates.length]!;
  let minute = seed.minute;
  const block = blocks[seed.block % Math.max(1, blocks.length)];
  if (seed.inBlock && block) {
    date = block.date;
    const length = toMinutes(block.end) - toMinutes(block.start);
    minute = toMinutes(block.start) + Math.floor((seed.minute % Math.max(1, length)) / 5) * 5;
  }
  const start = DateTime.fromISO(`${date}T${hhmm(minute)}`, { zone: world.calendar.timeZone }).toJSDate();
  return { specialistId, start, durationMinutes: seed.duration };
}

/** Bookings accepted one by one, each only if validateBooking finds nothing against those before it. */
export function greedyBookings(world: World, seeds: CandidateSeed[]): Booking[] {
  const accepted: Booking[] = [];
  seeds.forEach((seed, i) => {
    const c = candidateFrom(world, seed);
    if (validateBooking(c, { calendar: world.calendar, schedules: world.schedules, bookings: accepted }).length === 0) {
      accepted.push({ id: `b${i}`, ...c, state: 'planned' });
    }
  });
  return accepted;
}

// ---- the oracle: the rules restated in wall-clock terms -------------------------------

/**
 * Hours of a local date by the rules: days off win, then the weekday, then a transferred
 * working day (Monday's hours); a shortened day closes an hour earlier (no hours if that leaves none).
 */
export function oracleHours(calendar: InstitutionCalendar, date: string): { open: number; close: number } | null {
  if (calendar.daysOff.includes(date)) return null;
  const weekday = DateTime.fromISO(date, { zone: 'UTC' }).weekday as Weekday;
  let h = calendar.week[weekday];
  if (!h && calendar.extraWorkingDays?.includes(date)) {
    h = calendar.week[1] ?? ([1, 2, 3, 4, 5, 6, 7] as Weekday[]).map((d) => calendar.week[d]).find((x) => x) ?? null;
  }
  if (!h) return null;
  const open = toMinutes(h.start);
  const close = toMinutes(h.end) - (calendar.shortDays?.includes(date) ? 60 : 0);
  return close > open ? { open, close } : null;
}

/** Why a booking breaks the calendar rules (pre-check included), by wall-clock arithmetic; null = fine. */
export function oracleCalendarBreach(calendar: InstitutionCalendar, b: { start: Date; durationMinutes: number }): string | null {
  const zone = calendar.timeZone;
  const start = DateTime.fromJSDate(b.start, { zone });
  const pre = start.minus({ minutes: 30 });
  const end = start.plus({ minutes: b.durationMinutes });
  const date = start.toISODate()!;
  if (pre.toISODate() !== date || (end.toISODate() !== date && !(end.hour === 0 && end.minute === 0))) return 'crosses midnight';
  const hours = oracleHours(calendar, date);
  if (!hours) return 'day off';
  const preMin = pre.hour * 60 + pre.minute;
  const endMin = end.toISODate() === date ? end.hour * 60 + end.minute : 24 * 60;
  if (preMin < hours.open || endMin > hours.close) return 'outside hours (with pre-check)';
  if (calendar.lunch) {
    const ls = toMinutes(calendar.lunch.start);
    const le = toMinutes(calendar.lunch.end);
    if (preMin < le && ls < endMin) return 'meets lunch (with pre-check)';
  }
  if (b.durationMinutes < 1 || b.durationMinutes > 60 || !Number.isInteger(b.durationMinutes)) return 'duration';
  return null;
}

/** Pairs of one specialist's bookings whose [start − 30 min, start + duration) overlap. */
export function overlappingPairs(bookings: readonly Booking[]): [string, string][] {
  const pairs: [string, string][] = [];
  const occ = (b: Booking) => [b.start.getTime() - 30 * 60_000, b.start.getTime() + b.durationMinutes * 60_000] as const;
  for (let i = 0; i < bookings.length; i++) {
    for (let j = i + 1; j < bookings.length; j++) {
      const a = bookings[i]!;
      const b = bookings[j]!;
      if (a.specialistId !== b.specialistId) continue;
      const [as, ae] = occ(a);
      const [bs, be] = occ(b);
      if (as < be && bs < ae) pairs.push([a.id, b.id]);
    }
  }
  return pairs;
}

/** True when [start, start + duration) lies inside one approved block of the specialist (adjacent blocks joined). */
export function oracleInsideApprovedBlock(world: World, b: { specialistId: string; start: Date; durationMinutes: number }): boolean {
  const zone = world.calendar.timeZone;
  const start = DateTime.fromJSDate(b.start, { zone });
  const date = start.toISODate()!;
  const s = start.hour * 60 + start.minute;
  const e = s + b.durationMinutes;
  const covered = new Array<boolean>(24 * 60).fill(false);
  for (const sch of world.schedules) {
    if (sch.specialistId !== b.specialistId || sch.status !== 'approved' || sch.month !== date.slice(0, 7)) continue;
    for (const blk of sch.blocks) {
      if (blk.date !== date) continue;
      for (let m = toMinutes(blk.start); m < toMinutes(blk.end); m++) covered[m] = true;
    }
  }
  for (let m = s; m < e; m++) if (!covered[m]) return false;
  return true;
}
