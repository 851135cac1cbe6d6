// A consultation as the timetable sees it: who, when, how long, and its lifecycle state.
import { PRECHECK_MINUTES, precheckWindow, type Interval } from './limits.ts';

export const BOOKING_STATES = ['planned', 'precheck', 'open', 'live', 'ended', 'no_show', 'failed', 'cancelled'] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

export interface Booking {
  id: string;
  specialistId: string;
  /** The planned start (UTC instant). */
  start: Date;
  durationMinutes: number;
  state: BookingState;
}

/** A consultation being proposed: a new one has no id yet. */
export interface BookingCandidate {
  id?: string;
  specialistId: string;
  start: Date;
  durationMinutes: number;
}

/**
 * States whose time stays taken. Everything that will happen, is happening or did happen
 * holds its interval — including `ended` and `no_show`, so the journal never shows two
 * overlapping consultations of one specialist and a past hour is never sold twice.
 * `cancelled` releases it, and so does `failed` (could not run for technical reasons): the
 * head then sets a new date (DOMAIN.md), and the failed record stays only for statistics.
 */
export const TIME_HOLDING_STATES: ReadonlySet<BookingState> = new Set<BookingState>([
  'planned',
  'precheck',
  'open',
  'live',
  'ended',
  'no_show',
]);

/** Consultations that are over: no jobs, no moves, no cancellation. */
export const FINISHED_STATES: ReadonlySet<BookingState> = new Set<BookingState>(['ended', 'no_show', 'failed', 'cancelled']);

export function holdsTime(state: BookingState): boolean {
  return TIME_HOLDING_STATES.has(state);
}

const MINUTE_MS = 60_000;

/**
 * The specialist's time a consultation takes: the 30-minute pre-check, then the
 * consultation itself, [start − 30 min, start + duration). Two consultations of one
 * specialist may not overlap in it, so back-to-back consultations are 30 minutes apart.
 */
export function occupiedInterval(b: { start: Date; durationMinutes: number }): Interval {
  return { start: precheckWindow(b.start).start, end: new Date(b.start.getTime() + b.durationMinutes * MINUTE_MS) };
}

/** The same in epoch ms, for the hot paths. */
export function occupiedMs(startMs: number, durationMinutes: number): { start: number; end: number } {
  return { start: startMs - PRECHECK_MINUTES * MINUTE_MS, end: startMs + durationMinutes * MINUTE_MS };
}
