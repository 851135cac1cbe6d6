// Bookings built greedily from random candidates (each accepted only when validateBooking
// finds nothing), then moved at random: the timetable's invariants must hold throughout,
// checked by the oracle rather than by the code under test.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { reschedule, validateBooking, validateReschedule, type Booking } from './index.ts';
import {
  candidateFrom,
  candidateSeedArb,
  greedyBookings,
  oracleCalendarBreach,
  oracleInsideApprovedBlock,
  overlappingPairs,
  worldArb,
  type World,
} from './test-support/arbitraries.ts';

function expectInvariants(world: World, bookings: readonly Booking[]): void {
  expect(overlappingPairs(bookings)).toEqual([]); // pre-check windows included
  for (const b of bookings) {
    expect(oracleCalendarBreach(world.calendar, b)).toBeNull(); // inside hours, outside lunch, on a working day
    expect(oracleInsideApprovedBlock(world, b)).toBe(true);
    expect(Number.isInteger(b.durationMinutes) && b.durationMinutes >= 1 && b.durationMinutes <= 60).toBe(true);
  }
}

describe('booking invariants (property)', () => {
  it('greedily accepted bookings never overlap (pre-check included), stay in hours, off lunch, in approved blocks, ≤ 60 min', () => {
    let accepted = 0;
    fc.assert(
      fc.property(worldArb, fc.array(candidateSeedArb, { minLength: 1, maxLength: 120, size: 'medium' }), (world, seeds) => {
        const bookings = greedyBookings(world, seeds);
        accepted += bookings.length;
        expectInvariants(world, bookings);
      }),
      { numRuns: 40 },
    );
    expect(accepted).toBeGreaterThan(100); // the property was not vacuous
  });

  it('a validateBooking rejection is always explained: anything the oracle forbids is refused', () => {
    fc.assert(
      fc.property(worldArb, fc.array(candidateSeedArb, { minLength: 1, maxLength: 40 }), candidateSeedArb, (world, seeds, extra) => {
        const bookings = greedyBookings(world, seeds);
        const c = candidateFrom(world, extra);
        const v = validateBooking(c, { calendar: world.calendar, schedules: world.schedules, bookings });
        const oracleOk =
          oracleCalendarBreach(world.calendar, c) === null &&
          oracleInsideApprovedBlock(world, c) &&
          overlappingPairs([...bookings, { id: 'new', state: 'planned', ...c }]).length === 0;
        expect(v.length === 0).toBe(oracleOk);
      }),
      { numRuns: 120 },
    );
  });

  it('refuses every duration outside 1..60 whole minutes', () => {
    fc.assert(
      fc.property(
        worldArb,
        candidateSeedArb,
        fc.oneof(fc.integer({ min: 61, max: 10_000 }), fc.integer({ min: -100, max: 0 }), fc.double({ noInteger: true })),
        (world, seed, minutes) => {
          const c = { ...candidateFrom(world, seed), durationMinutes: minutes };
          expect(validateBooking(c, { calendar: world.calendar, schedules: world.schedules, bookings: [] }).map((x) => x.code)).toContain(
            'duration_invalid',
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('random reschedules, each applied only when validateReschedule allows it, keep every invariant', () => {
    let moved = 0;
    fc.assert(
      fc.property(
        worldArb,
        fc.array(candidateSeedArb, { minLength: 5, maxLength: 80, size: 'medium' }),
        fc.array(fc.record({ pick: fc.nat(), to: candidateSeedArb }), { minLength: 1, maxLength: 40 }),
        (world, seeds, moves) => {
          let bookings = greedyBookings(world, seeds);
          fc.pre(bookings.length > 0);
          for (const move of moves) {
            const target = bookings[move.pick % bookings.length]!;
            const newStart = candidateFrom(world, move.to).start;
            const ctx = { calendar: world.calendar, schedules: world.schedules, bookings };
            const result = reschedule(target.id, newStart, ctx);
            expect(result.ok).toBe(validateReschedule(target.id, newStart, ctx).length === 0);
            if (result.ok) {
              bookings = bookings.map((b) => (b.id === target.id ? result.booking : b));
              moved++;
            }
            // moving a booking to where it already is, is always allowed
            expect(validateReschedule(target.id, target.start, ctx)).toEqual([]);
          }
          expectInvariants(world, bookings);
        },
      ),
      { numRuns: 40 },
    );
    expect(moved).toBeGreaterThan(10); // the property was not vacuous
  });
});
