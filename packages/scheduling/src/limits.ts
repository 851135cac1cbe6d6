// The seeds' rules with numbers (DOMAIN.md). Pure: no clock, no I/O. The numbers themselves
// live with the lifecycle table (packages/protocol/src/lifecycle.ts), which the web reads too.
import { MAX_CONSULTATION_MINUTES, PRECHECK_MINUTES } from '@dp/protocol';

/** An online consultation lasts at most 60 minutes; the specialist prepares in the 30 minutes before it. */
export { MAX_CONSULTATION_MINUTES, PRECHECK_MINUTES };

const MINUTE = 60_000;

export interface Interval {
  start: Date;
  end: Date;
}

/**
 * The hard end of a consultation's room: counted from the planned start (not from
 * when the room was created or someone joined), never more than 60 minutes.
 */
export function hardLimit(plannedStart: Date): Date {
  return new Date(plannedStart.getTime() + MAX_CONSULTATION_MINUTES * MINUTE);
}

/** The pre-check window: the 30 minutes that end at the planned start. */
export function precheckWindow(plannedStart: Date): Interval {
  return { start: new Date(plannedStart.getTime() - PRECHECK_MINUTES * MINUTE), end: plannedStart };
}

/** Throws when a planned duration breaks the 60-minute rule. */
export function assertDuration(minutes: number): void {
  if (!Number.isInteger(minutes) || minutes <= 0 || minutes > MAX_CONSULTATION_MINUTES) {
    throw new RangeError(`a consultation lasts 1..${MAX_CONSULTATION_MINUTES} whole minutes, not ${minutes}`);
  }
}
