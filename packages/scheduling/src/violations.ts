// A broken rule is a value, not an exception: the REST layer returns the list as it is,
// the web app maps each `code` to a Russian sentence (locale files), and `message` is
// English for logs and developers (the convention of packages/protocol/src/errors.ts).
// Codes are stable identifiers: add new ones, never rename or reuse old ones.

export const VIOLATION_CODES = [
  // rule 1: duration and start
  'duration_invalid', // not 1..60 whole minutes
  'start_invalid', // not a valid instant on a whole minute
  // rule 2: the institution's calendar and the specialist's schedule
  'day_off', // weekend, holiday (daysOff) or a weekday without hours
  'outside_working_hours', // the consultation itself is not inside the day's hours
  'overlaps_lunch',
  'no_approved_schedule', // the specialist has no approved schedule for that month
  'outside_schedule_block', // not inside one block of the approved schedule
  // rule 3: the 30-minute pre-check window
  'precheck_outside_working_hours',
  'precheck_overlaps_lunch',
  'overlaps_booking', // occupied intervals (pre-check + consultation) of one specialist overlap
  'starts_too_soon', // the pre-check would already have begun at `now`
  // rule 5: reschedule and cancel
  'booking_not_found',
  'booking_not_movable', // only planned or pre-check consultations can be moved
  'booking_not_cancellable', // live or finished consultations cannot be cancelled
  // malformed data (for the database layer to check before saving)
  'calendar_invalid',
  'schedule_invalid',
] as const;

export type ViolationCode = (typeof VIOLATION_CODES)[number];

export interface Violation {
  code: ViolationCode;
  /** English, for logs; the UI shows its own sentence for the code. */
  message: string;
  /** The other consultation, for `overlaps_booking`. */
  bookingId?: string;
}

export function violation(code: ViolationCode, message: string, bookingId?: string): Violation {
  return bookingId === undefined ? { code, message } : { code, message, bookingId };
}
