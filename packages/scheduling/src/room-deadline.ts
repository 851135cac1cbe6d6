// Rule 8: the room's own timer. Jobs can be late or lost; the room counts down to the hard
// limit by itself, so a consultation can never overrun 60 minutes from its planned start.
import type { Booking } from './booking.ts';
import { hardLimit } from './limits.ts';

/** Milliseconds left until the hard limit (T+60), never negative: 0 means close now. */
export function roomDeadline(booking: Pick<Booking, 'start'>, now: Date): number {
  return Math.max(0, hardLimit(booking.start).getTime() - now.getTime());
}
