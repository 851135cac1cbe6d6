// The room's clock, as plain functions (TimeLeft.tsx draws it; room-client.ts says the notice).
// Two ends: the booked one (the time the consultation was booked for: the figure people
// plan by) and the hard cap (planned start + 60 minutes, when the room closes itself).

/** A calm notice this many minutes before the booked end. */
export const BOOKED_NOTICE_MINUTES = 5;
/** The cap's line turns to a warning this many minutes before the room closes. */
export const CAP_SOON_MINUTES = 10;

export type BookedPhase = 'running' | 'soon' | 'over';

export interface TimerView {
  /** The booked end: the main figure («до 17:15, осталось 12 мин»). */
  booked: { at: number; minutesLeft: number; phase: BookedPhase } | null;
  /** The hard cap, shown apart and quieter; null when unknown or the same minute as the booked end. */
  cap: { at: number; minutesLeft: number; soon: boolean } | null;
}

const parse = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

/** Whole minutes left, rounded up (at 10:00:30 to 10:15 it says 15), never below zero. */
export function minutesLeft(now: number, at: number): number {
  return Math.max(0, Math.ceil((at - now) / 60_000));
}

/** What the timer shows at `now`. */
export function timerView(now: number, bookedEndsAt: string | null | undefined, endsAt: string | null | undefined): TimerView {
  const bookedAt = parse(bookedEndsAt);
  const capAt = parse(endsAt);
  let booked: TimerView['booked'] = null;
  if (bookedAt !== null) {
    const left = minutesLeft(now, bookedAt);
    const phase: BookedPhase = now >= bookedAt ? 'over' : left <= BOOKED_NOTICE_MINUTES ? 'soon' : 'running';
    booked = { at: bookedAt, minutesLeft: left, phase };
  }
  let cap: TimerView['cap'] = null;
  // A booking of the full hour ends when the room closes: one line says both.
  const sameMinute = bookedAt !== null && capAt !== null && Math.floor(bookedAt / 60_000) === Math.floor(capAt / 60_000);
  if (capAt !== null && !sameMinute) {
    const left = minutesLeft(now, capAt);
    cap = { at: capAt, minutesLeft: left, soon: left <= CAP_SOON_MINUTES };
  }
  return { booked, cap };
}

/**
 * When to say «время по записи заканчивается через 5 мин»: the delay from `now`, or null when
 * that moment has passed already (who enters later sees the timer, and is not startled) or
 * the booked end is unknown.
 */
export function bookedNoticeDelay(now: number, bookedEndsAt: string | null | undefined): number | null {
  const at = parse(bookedEndsAt);
  if (at === null) return null;
  const delay = at - BOOKED_NOTICE_MINUTES * 60_000 - now;
  return delay >= 0 ? delay : null;
}

/**
 * «17:15» in the institution's time zone when the page knows it (the times people were
 * given are the institution's), else the device's.
 */
export function clockTime(at: number, locale: string, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(locale, timeZone ? { ...opts, timeZone } : opts).format(at);
  } catch {
    // An unknown zone name (an old browser's tables): the device's zone rather than nothing.
    return new Intl.DateTimeFormat(locale, opts).format(at);
  }
}
