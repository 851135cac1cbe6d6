// Rules 1–3 for one consultation on one day, as predicates shared by validateBooking
// (which turns each into a violation) and freeSlots (which needs only yes or no), so the
// two can never disagree about what a valid slot is.
//
// Interpretation of the pre-check (rule 3): the 30 minutes before the start are the
// specialist's working time — preparing the workplace, checking equipment and software —
// so they must fall inside the same working day and outside lunch, like the consultation.
// They need not lie inside the schedule block: a block says when the specialist consults;
// the preparation is part of the working day around it (a block 10:00–12:00 can hold a
// consultation at 10:00, prepared 09:30–10:00).
import { MAX_CONSULTATION_MINUTES, PRECHECK_MINUTES } from './limits.ts';
import type { WorkingDay } from './calendar.ts';
import { insideOne, type MsInterval } from './schedule.ts';
import { violation, type Violation } from './violations.ts';

const MINUTE_MS = 60_000;

/** One consultation in epoch ms: pre-check [precheckStart, start), consultation [start, end). */
export interface SlotTimes {
  precheckStart: number;
  start: number;
  end: number;
}

/** `precheck` false (a consultation by telephone): no pre-check window, precheckStart = start. */
export function slotTimes(startMs: number, durationMinutes: number, precheck = true): SlotTimes {
  const precheckStart = precheck ? startMs - PRECHECK_MINUTES * MINUTE_MS : startMs;
  return { precheckStart, start: startMs, end: startMs + durationMinutes * MINUTE_MS };
}

/** Rule 1: 1..60 whole minutes. */
export function isValidDuration(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_CONSULTATION_MINUTES;
}

/** Starts are whole minutes, like the 'HH:mm' calendar they are checked against. */
export function isValidStart(start: Date): boolean {
  const ms = start instanceof Date ? start.getTime() : Number.NaN;
  return Number.isFinite(ms) && ms % MINUTE_MS === 0;
}

export function outsideHours(day: WorkingDay, start: number, end: number): boolean {
  return start < day.open || end > day.close;
}

export function overlapsLunch(day: WorkingDay, start: number, end: number): boolean {
  return day.lunch !== null && start < day.lunch.end && day.lunch.start < end;
}

/** Rules 2–3 against the calendar and the approved blocks (null = no approved schedule). */
export function dayViolations(day: WorkingDay | null, blocks: readonly MsInterval[] | null, slot: SlotTimes, date: string): Violation[] {
  const out: Violation[] = [];
  if (!day) {
    out.push(violation('day_off', `${date} is not a working day of the institution`));
  } else {
    if (outsideHours(day, slot.start, slot.end)) out.push(violation('outside_working_hours', 'the consultation is outside working hours'));
    if (overlapsLunch(day, slot.start, slot.end)) out.push(violation('overlaps_lunch', 'the consultation overlaps the lunch break'));
    if (outsideHours(day, slot.precheckStart, slot.start)) {
      out.push(violation('precheck_outside_working_hours', `the ${PRECHECK_MINUTES}-minute pre-check is outside working hours`));
    }
    if (overlapsLunch(day, slot.precheckStart, slot.start)) {
      out.push(violation('precheck_overlaps_lunch', `the ${PRECHECK_MINUTES}-minute pre-check overlaps the lunch break`));
    }
  }
  if (blocks === null) {
    out.push(violation('no_approved_schedule', `the specialist has no approved schedule for ${date.slice(0, 7)}`));
  } else if (!insideOne(blocks, slot.start, slot.end)) {
    out.push(violation('outside_schedule_block', "the consultation is not inside a block of the specialist's approved schedule"));
  }
  return out;
}

/** The same rules as `dayViolations`, answered without building messages (the slot search). */
export function fitsDay(day: WorkingDay, blocks: readonly MsInterval[], slot: SlotTimes): boolean {
  return (
    !outsideHours(day, slot.start, slot.end) &&
    !overlapsLunch(day, slot.start, slot.end) &&
    !outsideHours(day, slot.precheckStart, slot.start) &&
    !overlapsLunch(day, slot.precheckStart, slot.start) &&
    insideOne(blocks, slot.start, slot.end)
  );
}

/** Half-open intervals overlap when each starts before the other ends. */
export function overlaps(a: MsInterval, b: MsInterval): boolean {
  return a.start < b.end && b.start < a.end;
}
