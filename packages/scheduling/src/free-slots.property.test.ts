// Property tests of the slot search against validateBooking and against the rules'
// oracle (test-support/arbitraries.ts), on random calendars in zones from +2 to +12 and
// Europe/Berlin in its DST months.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { freeSlots, productionCalendar, validateBooking, validateReschedule, type Booking } from './index.ts';
import {
  candidateSeedArb,
  greedyBookings,
  NATIONAL_MONTHS,
  oracleCalendarBreach,
  oracleHours,
  oracleInsideApprovedBlock,
  overlappingPairs,
  worldArb,
  worldArbOf,
  type World,
} from './test-support/arbitraries.ts';
import { datesOf } from './test-support/fixtures.ts';

const searchArbOf = (worlds: fc.Arbitrary<World>) =>
  fc.record({
    world: worlds,
    seeds: fc.array(candidateSeedArb, { minLength: 0, maxLength: 60, size: 'medium' }),
    specialist: fc.nat(),
    firstDay: fc.integer({ min: 0, max: 27 }),
    days: fc.integer({ min: 2, max: 7 }),
    duration: fc.oneof(fc.constantFrom(15, 30, 45, 60), fc.integer({ min: 1, max: 60 })),
    step: fc.constantFrom(5, 10, 15, 30),
    nowAt: fc.option(fc.integer({ min: 0, max: 31 * 24 * 60 }), { freq: 3 }),
    /**
     * Half the searches start on a day the specialist has a block, with no «now» to cut it off
     * (else most windows hold no slot at all, and the properties would be checked on empty lists).
     */
    anchored: fc.boolean(),
  });

const searchArb = searchArbOf(worldArb);

type Search = typeof searchArb extends fc.Arbitrary<infer T> ? T : never;

/** The search `r` describes, over [from, to) (its world's calendar, duration and step). */
function searchOf(
  r: Search,
  o: {
    schedule: Parameters<typeof freeSlots>[0]['schedule'];
    bookings: Parameters<typeof freeSlots>[0]['bookings'];
    from: DateTime;
    to: DateTime;
    now: Date | undefined;
  },
): Date[] {
  return freeSlots({
    calendar: r.world.calendar,
    schedule: o.schedule,
    bookings: o.bookings,
    from: o.from.toJSDate(),
    to: o.to.toJSDate(),
    durationMinutes: r.duration,
    stepMinutes: r.step,
    now: o.now,
  });
}

function setUp(r: Search) {
  const { world } = r;
  const zone = world.calendar.timeZone;
  const bookings = greedyBookings(world, r.seeds);
  const specialistId = world.specialists[r.specialist % world.specialists.length]!;
  const schedule = world.schedules.find((s) => s.specialistId === specialistId)!;
  const dates = datesOf(world.month);
  const anchor = r.anchored && schedule.blocks.length > 0 ? schedule.blocks[r.specialist % schedule.blocks.length]!.date : undefined;
  const from = DateTime.fromISO(anchor ?? dates[r.firstDay]!, { zone });
  const to = from.plus({ days: r.days });
  const now = r.nowAt === null || anchor ? undefined : DateTime.fromISO(dates[0]!, { zone }).plus({ minutes: r.nowAt }).toJSDate();
  return { world, zone, bookings, specialistId, schedule, from, to, now };
}

describe('freeSlots (property)', () => {
  it('every slot passes validateBooking and the oracle; slots ascend inside [from, to)', () => {
    let found = 0;
    fc.assert(
      fc.property(searchArb, (r) => {
        const { world, bookings, specialistId, schedule, from, to, now } = setUp(r);
        const slots = searchOf(r, { schedule, bookings, from, to, now });
        found += slots.length;
        let prev = -Infinity;
        for (const start of slots) {
          const candidate = { specialistId, start, durationMinutes: r.duration };
          expect(validateBooking(candidate, { calendar: world.calendar, schedules: world.schedules, bookings, now })).toEqual([]);
          expect(oracleCalendarBreach(world.calendar, candidate)).toBeNull();
          expect(oracleInsideApprovedBlock(world, candidate)).toBe(true);
          expect(overlappingPairs([...bookings, { id: 'new', state: 'planned', ...candidate }])).toEqual([]);
          expect(start.getTime()).toBeGreaterThan(prev);
          expect(start.getTime()).toBeGreaterThanOrEqual(from.toMillis());
          expect(start.getTime()).toBeLessThan(to.toMillis());
          prev = start.getTime();
        }
      }),
      { numRuns: 40 },
    );
    expect(found).toBeGreaterThan(30); // the property was not vacuous
  });

  it('misses no valid start on the wall-clock grid (a grid point is a slot exactly when validateBooking accepts it)', () => {
    // Searches that found a slot, and that refused a grid point: with none of either the
    // comparison would be of two empty lists (or of two full grids), proving nothing.
    let withSlots = 0;
    let withRefusals = 0;
    fc.assert(
      fc.property(searchArb, (r) => {
        const { world, zone, bookings, specialistId, schedule, from, to, now } = setUp(r);
        const slots = searchOf(r, { schedule, bookings, from, to, now }).map((d) => d.getTime());
        // The grid built independently: every `step` wall-clock minutes from each local midnight.
        const grid = new Set<number>();
        for (let d = from; d < to; d = d.plus({ days: 1 })) {
          for (let m = 0; m < 24 * 60; m += r.step) {
            const t = DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour: Math.floor(m / 60), minute: m % 60 }, { zone });
            if (t.toISODate() === d.toISODate() && t >= from && t < to) grid.add(t.toMillis());
          }
        }
        const expected = [...grid]
          .sort((a, b) => a - b)
          .filter(
            (t) =>
              validateBooking(
                { specialistId, start: new Date(t), durationMinutes: r.duration },
                { calendar: world.calendar, schedules: world.schedules, bookings, now },
              ).length === 0,
          );
        expect(slots).toEqual(expected);
        if (expected.length > 0) withSlots++;
        if (expected.length < grid.size) withRefusals++;
      }),
      { numRuns: 30 },
    );
    // About 40 % of the searches find slots: fewer than 3 of 30 happens about once in 50 000 runs.
    expect(withSlots).toBeGreaterThanOrEqual(3);
    expect(withRefusals).toBeGreaterThanOrEqual(3);
  });

  it('with excludeBookingId, every slot is a valid reschedule of that booking', () => {
    // Cases with slots to check, and cases where the booking's own time had to be offered.
    let withSlots = 0;
    let ownTimeChecked = 0;
    fc.assert(
      fc.property(
        worldArb,
        fc.array(candidateSeedArb, { minLength: 5, maxLength: 60, size: 'medium' }),
        fc.nat(),
        fc.boolean(),
        (world: World, seeds, pick, onGrid) => {
          const bookings: Booking[] = greedyBookings(world, seeds);
          fc.pre(bookings.length > 0);
          const zone = world.calendar.timeZone;
          // Half the time a booking on the search's 30-minute grid moves: its own time must then be offered.
          const gridded = bookings.filter((b) => DateTime.fromJSDate(b.start, { zone }).minute % 30 === 0);
          const pool = onGrid && gridded.length > 0 ? gridded : bookings;
          const moving = pool[pick % pool.length]!;
          const schedule = world.schedules.find((s) => s.specialistId === moving.specialistId)!;
          const dates = datesOf(world.month);
          const slots = freeSlots({
            calendar: world.calendar,
            schedule,
            bookings,
            from: DateTime.fromISO(dates[0]!, { zone }).toJSDate(),
            to: DateTime.fromISO(dates[dates.length - 1]!, { zone })
              .plus({ days: 1 })
              .toJSDate(),
            durationMinutes: moving.durationMinutes,
            stepMinutes: 30,
            excludeBookingId: moving.id,
          });
          const ctx = { calendar: world.calendar, schedules: world.schedules, bookings };
          for (const s of slots) expect(validateReschedule(moving.id, s, ctx)).toEqual([]);
          if (slots.length > 0) withSlots++;
          // its own current time is free for itself
          if (DateTime.fromJSDate(moving.start, { zone }).minute % 30 === 0) {
            expect(slots.map((s) => s.getTime())).toContain(moving.start.getTime());
            ownTimeChecked++;
          }
        },
      ),
      { numRuns: 25 },
    );
    expect(withSlots).toBeGreaterThanOrEqual(5);
    // About 40 % move a booking on the grid: fewer than 2 of 25 happens about once in 20 000 runs.
    expect(ownTimeChecked).toBeGreaterThanOrEqual(2);
  });
});

describe('freeSlots with the production calendar (property)', () => {
  it('offers nothing on a holiday or transferred day off, and nothing ending after a shortened day’s close', () => {
    let onShortDays = 0;
    const property = fc.property(searchArbOf(worldArbOf(NATIONAL_MONTHS, true)), (r) => {
      const base = setUp(r);
      const { world, zone, bookings, specialistId, schedule } = base;
      // Anchored searches start on the month's shortened day, if it has one (else few would meet it).
      const shortDay = productionCalendar(Number(world.month.slice(0, 4))).shortDays.find((d) => d.startsWith(world.month));
      const from = r.anchored && shortDay ? DateTime.fromISO(shortDay, { zone }) : base.from;
      const to = from.plus({ days: r.days });
      const now = r.anchored ? undefined : base.now;
      const slots = searchOf(r, { schedule, bookings, from, to, now });
      for (const start of slots) {
        const candidate = { specialistId, start, durationMinutes: r.duration };
        expect(validateBooking(candidate, { calendar: world.calendar, schedules: world.schedules, bookings, now })).toEqual([]);
        expect(oracleCalendarBreach(world.calendar, candidate)).toBeNull();
        const local = DateTime.fromJSDate(start, { zone });
        const date = local.toISODate()!;
        const national = productionCalendar(local.year);
        expect(national.daysOff).not.toContain(date);
        if (national.shortDays.includes(date)) {
          onShortDays++;
          const weekly = world.calendar.week[local.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7] ?? world.calendar.week[1];
          if (weekly) {
            const close = Number(weekly.end.slice(0, 2)) * 60 + Number(weekly.end.slice(3, 5));
            expect(local.hour * 60 + local.minute + r.duration).toBeLessThanOrEqual(close - 60);
          }
        }
      }
    });
    // A random run explores; a second run with a fixed seed is known to meet shortened days, so
    // the check below never depends on luck (a random run of 80 met none once).
    fc.assert(property, { numRuns: 80 });
    fc.assert(property, { numRuns: 80, seed: 20261206 });
    expect(onShortDays).toBeGreaterThan(0); // the shortened close was checked
  });

  it('a worked Saturday (1 November 2025) offers slots; the transferred Monday and the holiday after it offer none', () => {
    let worked = 0;
    fc.assert(
      fc.property(worldArbOf(['2025-11'], true), fc.nat(), (world, pick) => {
        const zone = world.calendar.timeZone;
        const specialistId = world.specialists[pick % world.specialists.length]!;
        const dates = ['2025-11-01', '2025-11-03', '2025-11-04'];
        const slots = freeSlots({
          calendar: world.calendar,
          schedule: {
            specialistId,
            month: '2025-11',
            status: 'approved',
            blocks: dates.map((date) => ({ date, start: '00:00', end: '23:45' })),
          },
          bookings: [],
          from: DateTime.fromISO('2025-11-01', { zone }).toJSDate(),
          to: DateTime.fromISO('2025-11-05', { zone }).toJSDate(),
          durationMinutes: 30,
          stepMinutes: 15,
        });
        const days = new Set(slots.map((s) => DateTime.fromJSDate(s, { zone }).toISODate()));
        expect(days.has('2025-11-03') || days.has('2025-11-04')).toBe(false);
        // unless the institution itself took the Saturday off
        expect(days.has('2025-11-01')).toBe(oracleHours(world.calendar, '2025-11-01') !== null);
        if (days.has('2025-11-01')) worked++;
      }),
      { numRuns: 40 },
    );
    expect(worked).toBeGreaterThan(20);
  });
});
