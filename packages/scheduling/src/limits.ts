// The seeds' rules with numbers (DOMAIN.md). Pure: no clock, no I/O.

/** An online consultation lasts at most 60 minutes. */
export const MAX_CONSULTATION_MINUTES = 60;
/** The specialist prepares and checks equipment in the 30 minutes before the start. */
export const PRECHECK_MINUTES = 30;

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
