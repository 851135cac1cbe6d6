// A consultation as the timetable sees it: who, when, how long, and its lifecycle state.
// The states and what they mean for time and moves are the lifecycle table's
// (packages/protocol/src/lifecycle.ts): re-exported here, never restated.
import { CONSULTATION_STATES, type ConsultationState } from '@dp/protocol';
import { PRECHECK_MINUTES, precheckWindow, type Interval } from './limits.ts';

export { FINISHED_STATES, TIME_HOLDING_STATES, holdsTime, isFinished } from '@dp/protocol';
export const BOOKING_STATES = CONSULTATION_STATES;
export type BookingState = ConsultationState;

export interface Booking {
  id: string;
  specialistId: string;
  /** The planned start (UTC instant). */
  start: Date;
  durationMinutes: number;
  state: BookingState;
  /**
   * Whether the consultation needs the 30-minute pre-check before it (default true). A
   * consultation by telephone has no room to check: it holds only [start, end).
   */
  precheck?: boolean;
}

/** A consultation being proposed: a new one has no id yet. */
export interface BookingCandidate {
  id?: string;
  specialistId: string;
  start: Date;
  durationMinutes: number;
  /** False for a consultation by telephone: no pre-check window is required or held. */
  precheck?: boolean;
}

const MINUTE_MS = 60_000;

/**
 * The specialist's time a consultation takes: the 30-minute pre-check, then the
 * consultation itself, [start − 30 min, start + duration). Two consultations of one
 * specialist may not overlap in it, so back-to-back consultations are 30 minutes apart.
 */
export function occupiedInterval(b: { start: Date; durationMinutes: number; precheck?: boolean }): Interval {
  const start = b.precheck === false ? new Date(b.start.getTime()) : precheckWindow(b.start).start;
  return { start, end: new Date(b.start.getTime() + b.durationMinutes * MINUTE_MS) };
}

/** The same in epoch ms, for the hot paths (`precheck` false: no pre-check window is held). */
export function occupiedMs(startMs: number, durationMinutes: number, precheck = true): { start: number; end: number } {
  return { start: precheck ? startMs - PRECHECK_MINUTES * MINUTE_MS : startMs, end: startMs + durationMinutes * MINUTE_MS };
}
