// A booking or a move checked against the timetable (rules 1–3 of @dp/scheduling), and the
// delayed jobs handed over once a change is committed.
import type { TransactionClient } from '@dp/db';
import type { ApiViolation, ConsultationState } from '@dp/protocol';
import { localDateOf, monthOf, validateBooking, validateReschedule, type Booking, type InstitutionCalendar } from '@dp/scheduling';
import type { ApiDeps } from '../api/deps.ts';
import { apiViolation } from '../api/errors.ts';
import { bookingsOf, schedulesOf } from '../api/records.ts';

const MINUTE = 60_000;

export interface Proposal {
  /** Set when an existing consultation moves. */
  existing?: { id: string; state: ConsultationState; start: Date };
  specialistIds: readonly string[];
  start: Date;
  durationMinutes: number;
  /** False for a consultation by telephone: no pre-check window is required or held. */
  precheck?: boolean;
}

/**
 * Rules 1–3 of the timetable for every specialist of the consultation (calendar, approved
 * schedule, other consultations with their pre-check windows, not too soon). Run inside the
 * transaction that holds the specialists' locks, so that what it saw is what gets saved.
 */
export async function timetableViolations(
  tx: TransactionClient,
  calendar: InstitutionCalendar,
  p: Proposal,
  now: Date,
): Promise<ApiViolation[]> {
  const end = new Date(p.start.getTime() + p.durationMinutes * MINUTE);
  const month = monthOf(localDateOf(calendar.timeZone, p.start.getTime()));
  const [schedules, others] = await Promise.all([schedulesOf(tx, p.specialistIds, [month]), bookingsOf(tx, p.specialistIds, p.start, end)]);
  const out: ApiViolation[] = [];
  for (const specialistId of p.specialistIds) {
    if (p.existing) {
      // The moving consultation as the rules know it: its current state, the new length.
      const self: Booking = {
        id: p.existing.id,
        specialistId,
        start: p.existing.start,
        durationMinutes: p.durationMinutes,
        state: p.existing.state,
        ...(p.precheck === false ? { precheck: false } : {}),
      };
      const bookings = [...others.filter((b) => b.id !== p.existing!.id), self];
      out.push(
        ...validateReschedule(p.existing.id, p.start, { calendar, schedules, bookings, now }).map((v) => apiViolation(v, specialistId)),
      );
    } else {
      const candidate = {
        specialistId,
        start: p.start,
        durationMinutes: p.durationMinutes,
        ...(p.precheck === false ? { precheck: false } : {}),
      };
      out.push(...validateBooking(candidate, { calendar, schedules, bookings: others, now }).map((v) => apiViolation(v, specialistId)));
    }
  }
  return out;
}

/**
 * The committed change is the truth: if replacing the jobs fails (Redis away), the
 * consultation stays saved and the timetable's reconcile at start re-plans it. Failing the
 * request instead would make the client retry a booking that already exists.
 */
export async function timetableChanged(deps: Pick<ApiDeps, 'timetable' | 'log'>, consultationId: string): Promise<void> {
  try {
    await deps.timetable.changed(consultationId);
  } catch (e) {
    deps.log.error(
      { consultationId, errName: (e as Error)?.name },
      'timetable.changed failed; jobs will be re-planned at the next reconcile',
    );
  }
}
