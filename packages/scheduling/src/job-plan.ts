// Rule 7: the timed decisions the scheduler carries out for one consultation. The plan is
// data; the BullMQ runner turns each entry into a delayed job whose id is derived from the
// consultation, the kind and the planned start — so a moved consultation yields a fresh set
// of ids, and the runner can remove the old set (computed from the old start) and add the new
// one in one transaction, with no lookup of what was scheduled before.
import { isFinished, NO_SHOW_AFTER_MINUTES, type ConsultationState } from '@dp/protocol';
import type { Booking } from './booking.ts';
import { MAX_CONSULTATION_MINUTES, PRECHECK_MINUTES } from './limits.ts';

/** After this many minutes without the client in an open room, the consultation is a no-show (the lifecycle table's number). */
export { NO_SHOW_AFTER_MINUTES };

/**
 * The room jobs. `clients_admitted` records, at T, that the consultation admits clients
 * (lifecycle event `room_opened`, state `open`); it does not create a room — the first
 * participant's join does that.
 */
export const JOB_KINDS = [
  'precheck_open',
  'precheck_alert',
  'clients_admitted',
  'no_show_check',
  'warn_10',
  'warn_5',
  'hard_limit',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export function isJobKind(kind: string): kind is JobKind {
  return (JOB_KINDS as readonly string[]).includes(kind);
}

/**
 * States with no timed jobs: over (the lifecycle's finished states), or `failed` — waiting for
 * the head to set a new time (the reschedule plans a fresh set).
 */
export function plansNoJobs(state: ConsultationState): boolean {
  return isFinished(state) || state === 'failed';
}

/**
 * When each job is due, in minutes from the planned start T. The warnings and the limit
 * count from T, always 60 minutes, whatever the planned duration (DOMAIN.md: the room
 * never outlives 60 minutes from the planned start, so nobody loses time to a late join).
 */
export const JOB_OFFSET_MINUTES: Readonly<Record<JobKind, number>> = {
  precheck_open: -PRECHECK_MINUTES,
  precheck_alert: -5, // acts only if the pre-check has not passed by then
  clients_admitted: 0,
  no_show_check: NO_SHOW_AFTER_MINUTES,
  warn_10: MAX_CONSULTATION_MINUTES - 10,
  warn_5: MAX_CONSULTATION_MINUTES - 5,
  hard_limit: MAX_CONSULTATION_MINUTES,
};

/** One timed job of a consultation: the plans below make them, the due-job queue carries them. */
export interface PlannedJob<K extends string = JobKind> {
  kind: K;
  at: Date;
  /** Deterministic: consultation + kind + planned start (jobId below). */
  jobId: string;
}

const MINUTE_MS = 60_000;

/** When a job of this kind is due for a consultation planned to start at `start`. */
export function jobDueAt(kind: JobKind, start: Date): Date {
  return new Date(start.getTime() + JOB_OFFSET_MINUTES[kind] * MINUTE_MS);
}

/**
 * A deterministic, injective job id: `<consultation id, escaped>|<kind>|<start>`.
 * BullMQ reserves ':' (its key separator; it still tolerates ids with exactly two for old
 * repeatable jobs, which a future version drops) and refuses all-digit ids, so '%', '|' and
 * ':' in the consultation id are percent-escaped (which keeps the id reversible and '|' a
 * true separator) and the start is ISO 8601 without colons (2026-12-01T060000.000Z).
 */
export function jobId(consultationId: string, kind: JobKind | NotificationJobKind, start: Date): string {
  const id = consultationId.replaceAll('%', '%25').replaceAll('|', '%7C').replaceAll(':', '%3A');
  return `${id}|${kind}|${start.toISOString().replaceAll(':', '')}`;
}

/**
 * The jobs of a consultation, in time order. Entries already in the past are kept: the
 * runner enqueues them with no delay and `decideOnFire` judges them as late. A finished,
 * cancelled or failed consultation has no jobs: replacing its old set with this empty one removes them.
 */
export function jobPlan(booking: Pick<Booking, 'id' | 'start' | 'state'>): PlannedJob[] {
  if (plansNoJobs(booking.state)) return [];
  return JOB_KINDS.map((kind) => ({ kind, at: jobDueAt(kind, booking.start), jobId: jobId(booking.id, kind, booking.start) }));
}

// E-mail to the clients on the same timeline. Kept apart from the room jobs above: these
// act on nobody's room (they never close one, and the feedback mail goes out after the end,
// which the room rules treat as "finished, leave alone"), so they have their own decision
// (decideOnNotificationFire) — but they are planned, replaced and made stale exactly like
// the room jobs, in the same per-consultation set.

/** Reminder this many minutes before T (at once, when booked or moved later than that). */
export const REMIND_BEFORE_MINUTES = 120;
/** Feedback this many minutes after the hard limit, when the hard_limit job has ended the record. */
export const FEEDBACK_AFTER_LIMIT_MINUTES = 5;

export const NOTIFICATION_JOB_KINDS = ['remind', 'feedback'] as const;
export type NotificationJobKind = (typeof NOTIFICATION_JOB_KINDS)[number];

export const NOTIFICATION_JOB_OFFSET_MINUTES: Readonly<Record<NotificationJobKind, number>> = {
  remind: -REMIND_BEFORE_MINUTES,
  feedback: MAX_CONSULTATION_MINUTES + FEEDBACK_AFTER_LIMIT_MINUTES,
};

export function isNotificationJobKind(kind: string): kind is NotificationJobKind {
  return (NOTIFICATION_JOB_KINDS as readonly string[]).includes(kind);
}

export function notificationJobDueAt(kind: NotificationJobKind, start: Date): Date {
  return new Date(start.getTime() + NOTIFICATION_JOB_OFFSET_MINUTES[kind] * MINUTE_MS);
}

/**
 * The e-mail jobs of a consultation: a reminder at T−2h and a feedback request at T+65.
 * A reminder already due (booked or moved less than two hours ahead) is enqueued with no
 * delay and goes at once: the invitation may have been sent days ago, and the reminder is the
 * one message that comes close to the start. Finished, cancelled or failed: none (the cancellation
 * mail is sent by the API, and the feedback job of an ended consultation is already queued).
 */
export function notificationPlan(booking: Pick<Booking, 'id' | 'start' | 'state'>): PlannedJob<NotificationJobKind>[] {
  if (plansNoJobs(booking.state)) return [];
  return NOTIFICATION_JOB_KINDS.map((kind) => ({
    kind,
    at: notificationJobDueAt(kind, booking.start),
    jobId: jobId(booking.id, kind, booking.start),
  }));
}
