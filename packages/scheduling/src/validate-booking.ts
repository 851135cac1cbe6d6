// Rules 1–3 for one proposed consultation, and the two ways a booked one changes:
// moved (rescheduled) or cancelled. Every answer is a list of violations, empty = allowed.
import { mayCancel, mayMove } from '@dp/protocol';
import { holdsTime, occupiedMs, type Booking, type BookingCandidate } from './booking.ts';
import { compileCalendar, workingDay, type CompiledCalendar, type InstitutionCalendar } from './calendar.ts';
import { PRECHECK_MINUTES } from './limits.ts';
import { approvedBlocksOn, type SpecialistMonthSchedule } from './schedule.ts';
import { dayViolations, isValidDuration, isValidStart, overlaps, slotTimes } from './slot-rules.ts';
import { violation, type Violation } from './violations.ts';
import { dayClock, localDateOf } from './zone-clock.ts';

export interface BookingContext {
  calendar: InstitutionCalendar;
  /** Any schedules; those of the candidate's specialist and month are used. */
  schedules: readonly SpecialistMonthSchedule[];
  /** Any bookings; those of the candidate's specialist that hold time are checked. */
  bookings: readonly Booking[];
  /**
   * When given, a consultation whose pre-check would already have begun is refused: the
   * specialist must get the full 30 minutes to prepare (urgent same-day requests included).
   */
  now?: Date;
}

// Which consultations can be moved or cancelled is the lifecycle table's `reschedule` and
// `cancel` (mayMove, mayCancel in packages/protocol/src/lifecycle.ts): moving includes
// `precheck` (a pre-check that fails is exactly when the head sets a new date, DOMAIN.md) and
// `failed`; a moved consultation starts over as `planned`. A live one is ended, not cancelled.

export type BookingChange = { ok: true; booking: Booking } | { ok: false; violations: Violation[] };

/**
 * All violations of a proposed consultation (empty = it may be booked). A candidate with
 * an id is checked against every booking but its own, so an existing consultation can be
 * re-validated against a list that contains it.
 */
export function validateBooking(candidate: BookingCandidate, ctx: BookingContext): Violation[] {
  return candidateViolations(compileCalendar(ctx.calendar), candidate, ctx);
}

function candidateViolations(cal: CompiledCalendar, candidate: BookingCandidate, ctx: BookingContext): Violation[] {
  const out: Violation[] = [];
  if (!isValidDuration(candidate.durationMinutes)) {
    out.push(violation('duration_invalid', `a consultation lasts 1..60 whole minutes, not ${candidate.durationMinutes}`));
  }
  if (!isValidStart(candidate.start)) out.push(violation('start_invalid', 'the start is not a valid instant on a whole minute'));
  // Without a valid interval the remaining rules have nothing to measure.
  if (out.length > 0) return out;

  const slot = slotTimes(candidate.start.getTime(), candidate.durationMinutes, candidate.precheck !== false);
  const date = localDateOf(cal.zone, slot.start);
  const blocks = approvedBlocksOn(ctx.schedules, candidate.specialistId, dayClock(cal.zone, date));
  out.push(...dayViolations(workingDay(cal, date), blocks, slot, date));

  const occupied = { start: slot.precheckStart, end: slot.end };
  for (const b of ctx.bookings) {
    if (b.specialistId !== candidate.specialistId || !holdsTime(b.state)) continue;
    if (candidate.id !== undefined && b.id === candidate.id) continue;
    if (overlaps(occupied, occupiedMs(b.start.getTime(), b.durationMinutes, b.precheck !== false))) {
      out.push(
        violation(
          'overlaps_booking',
          `with its ${PRECHECK_MINUTES}-minute pre-check, the consultation overlaps consultation ${b.id} of the same specialist`,
          b.id,
        ),
      );
    }
  }
  if (ctx.now !== undefined && slot.precheckStart < ctx.now.getTime()) {
    out.push(violation('starts_too_soon', `the ${PRECHECK_MINUTES}-minute pre-check would begin before now`));
  }
  return out;
}

/** Violations of moving a booking to `newStart`; its own old interval does not count against it. */
export function validateReschedule(bookingId: string, newStart: Date, ctx: BookingContext): Violation[] {
  const booking = ctx.bookings.find((b) => b.id === bookingId);
  if (!booking) return [violation('booking_not_found', `no consultation ${bookingId}`)];
  if (!mayMove(booking.state)) {
    return [
      violation(
        'booking_not_movable',
        `consultation ${bookingId} is ${booking.state}; only planned, pre-check or failed ones can be moved`,
      ),
    ];
  }
  return validateBooking(
    {
      id: booking.id,
      specialistId: booking.specialistId,
      start: newStart,
      durationMinutes: booking.durationMinutes,
      ...(booking.precheck === false ? { precheck: false } : {}),
    },
    ctx,
  );
}

/** The moved booking (back to `planned`: a new pre-check is due), or why it cannot move. */
export function reschedule(bookingId: string, newStart: Date, ctx: BookingContext): BookingChange {
  const violations = validateReschedule(bookingId, newStart, ctx);
  if (violations.length > 0) return { ok: false, violations };
  const booking = ctx.bookings.find((b) => b.id === bookingId)!;
  return { ok: true, booking: { ...booking, start: new Date(newStart.getTime()), state: 'planned' } };
}

/**
 * The cancelled booking, or why not. Cancelling releases its time at once (cancelled
 * holds none), and its job plan becomes empty, so the runner's replace step removes the jobs.
 */
export function cancel(booking: Booking): BookingChange {
  if (!mayCancel(booking.state)) {
    return {
      ok: false,
      violations: [violation('booking_not_cancellable', `consultation ${booking.id} is ${booking.state} and cannot be cancelled`)],
    };
  }
  return { ok: true, booking: { ...booking, state: 'cancelled' } };
}
