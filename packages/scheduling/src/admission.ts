import type { BookingState } from './booking.ts';
import { hardLimit, precheckWindow } from './limits.ts';

export type Admission =
  | { ok: true; endsAt: Date }
  | { ok: false; code: 'not_open_yet'; opensAt: Date }
  | { ok: false; code: 'consultation_over' }
  | { ok: false; code: 'cancelled' };

/**
 * Who may enter a consultation's room, and when: staff from the start of the
 * pre-check (T−30, to test their equipment in the real room), clients from the
 * planned start T; nobody once the 60-minute limit has passed, or once the
 * consultation is over, failed or cancelled. Pure: `now` is passed in.
 */
export function admission(c: { start: Date; state: BookingState }, role: 'staff' | 'client', now: Date): Admission {
  if (c.state === 'cancelled' || c.state === 'failed') return { ok: false, code: 'cancelled' };
  const endsAt = hardLimit(c.start);
  if (c.state === 'ended' || now.getTime() >= endsAt.getTime()) return { ok: false, code: 'consultation_over' };
  const opensAt = role === 'staff' ? precheckWindow(c.start).start : c.start;
  if (now.getTime() < opensAt.getTime()) return { ok: false, code: 'not_open_yet', opensAt };
  return { ok: true, endsAt };
}
