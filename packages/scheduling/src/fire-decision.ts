// What a job does when it fires — judged at firing time, not at planning time, because jobs
// fire late (a worker restart, a Redis hiccup, a queue backlog) and sometimes out of order,
// while the consultation's state has moved on. Each decision depends only on (kind, the
// consultation now, now), so a job that fires twice does no harm.
//
// Order of judgement:
//  1. a finished consultation (or a failed one, waiting for a new time): nothing to do;
//  2. at or after the hard limit (T+60): close, whatever the job — a late job must never
//     let a room outlive its limit (the room's own timer closes it too);
//  3. before the job's due time (clock skew between nodes): wait until it is due;
//  4. the job's own rule, which skips what a later job has superseded.
import type { BookingState } from './booking.ts';
import { jobDueAt, NO_SHOW_AFTER_MINUTES, notificationJobDueAt, plansNoJobs, type JobKind, type NotificationJobKind } from './job-plan.ts';
import { hardLimit } from './limits.ts';

export interface ConsultationSnapshot {
  state: BookingState;
  /** The planned start T. */
  start: Date;
  /** Set when the specialist's equipment check has passed. */
  precheckPassed: boolean;
  /** When the room was actually opened to clients (state `open` or later); T if unknown. */
  openedAt?: Date;
}

export type SkipReason =
  | 'finished' // ended, no-show, failed or cancelled
  | 'already_done' // an earlier job (or a person) already did it
  | 'precheck_passed' // the alert is needed only if the pre-check has not passed
  | 'late' // a later job does this job's work now (clients_admitted after precheck_open, warn_5 after warn_10)
  | 'room_not_open'; // nobody to warn

export type FireDecision =
  | { action: 'open_precheck' } // open the room for the specialist to prepare
  | { action: 'alert_precheck' } // tell the specialist and the head: equipment not checked yet
  | { action: 'admit_clients' } // the consultation admits clients now (state `open`)
  | { action: 'mark_no_show' }
  | { action: 'warn'; minutes: 10 | 5; msLeft: number } // msLeft: the true time left when fired late
  | { action: 'close_room'; reason: 'hard_limit' }
  | { action: 'wait'; until: Date } // re-run the job at `until`
  | { action: 'skip'; reason: SkipReason };

const MINUTE_MS = 60_000;

export function decideOnFire(kind: JobKind, consultation: ConsultationSnapshot, now: Date): FireDecision {
  const { state } = consultation;
  const t = consultation.start.getTime();
  const nowMs = now.getTime();
  const limit = hardLimit(consultation.start).getTime();
  if (plansNoJobs(state)) return { action: 'skip', reason: 'finished' };
  if (nowMs >= limit) return { action: 'close_room', reason: 'hard_limit' };
  const due = jobDueAt(kind, consultation.start);
  if (nowMs < due.getTime()) return { action: 'wait', until: due };

  const roomOpen = state === 'open' || state === 'live';
  switch (kind) {
    case 'precheck_open':
      if (state !== 'planned') return { action: 'skip', reason: 'already_done' };
      // After T the clients_admitted job (due earlier than this late firing) admits everyone.
      return nowMs < t ? { action: 'open_precheck' } : { action: 'skip', reason: 'late' };
    case 'precheck_alert':
      if (consultation.precheckPassed) return { action: 'skip', reason: 'precheck_passed' };
      if (roomOpen) return { action: 'skip', reason: 'already_done' };
      // The alert is for deciding before the start (the head may move the consultation and
      // tell the client at once); after T the room and the no-show check take over.
      return nowMs < t ? { action: 'alert_precheck' } : { action: 'skip', reason: 'late' };
    case 'clients_admitted':
      return roomOpen ? { action: 'skip', reason: 'already_done' } : { action: 'admit_clients' };
    case 'no_show_check': {
      if (state === 'live') return { action: 'skip', reason: 'already_done' };
      // The client gets 15 minutes of an open room, even if the room opened late. Not open
      // yet (clients_admitted is late too): look again in 15 minutes; the limit bounds the retries.
      if (state !== 'open') return { action: 'wait', until: new Date(nowMs + NO_SHOW_AFTER_MINUTES * MINUTE_MS) };
      const openedAt = Math.max(t, consultation.openedAt?.getTime() ?? t);
      const deadline = openedAt + NO_SHOW_AFTER_MINUTES * MINUTE_MS;
      return nowMs < deadline ? { action: 'wait', until: new Date(deadline) } : { action: 'mark_no_show' };
    }
    case 'warn_10':
      if (!roomOpen) return { action: 'skip', reason: 'room_not_open' };
      // Past T+55 the 5-minute warning is the true one; two warnings at once would confuse.
      if (nowMs >= jobDueAt('warn_5', consultation.start).getTime()) return { action: 'skip', reason: 'late' };
      return { action: 'warn', minutes: 10, msLeft: limit - nowMs };
    case 'warn_5':
      if (!roomOpen) return { action: 'skip', reason: 'room_not_open' };
      return { action: 'warn', minutes: 5, msLeft: limit - nowMs };
    case 'hard_limit':
      // Unreachable before the limit (step 3 waits); kept for the exhaustive switch.
      return { action: 'close_room', reason: 'hard_limit' };
  }
}

export type NotificationSkipReason =
  | 'finished' // cancelled, failed or no-show: nothing to remind of, nothing to ask about
  | 'late'; // the reminder after T; the feedback request more than a day after the end

export type NotificationDecision =
  | { action: 'send_reminder' }
  | { action: 'send_feedback' }
  | { action: 'wait'; until: Date }
  | { action: 'skip'; reason: NotificationSkipReason };

/** A feedback job that finds the consultation not ended yet looks again this often … */
export const FEEDBACK_RETRY_MINUTES = 5;
/** … until this long after T (then the hard_limit job has long failed: nothing is asked). */
export const FEEDBACK_GIVE_UP_MINUTES = 24 * 60;

/**
 * What an e-mail job does when it fires; like decideOnFire, judged at firing time and
 * idempotent in its decision (the service also skips a participant already told).
 *  - remind: before T, for a consultation still to take place; a reminder after T helps nobody.
 *  - feedback: only for a consultation that ended (took place); one still running past the
 *    due time (its hard_limit job late) is looked at again in 5 minutes, for at most a day.
 */
export function decideOnNotificationFire(kind: NotificationJobKind, consultation: ConsultationSnapshot, now: Date): NotificationDecision {
  const { state } = consultation;
  const t = consultation.start.getTime();
  const nowMs = now.getTime();
  const due = notificationJobDueAt(kind, consultation.start);
  switch (kind) {
    case 'remind':
      if (plansNoJobs(state)) return { action: 'skip', reason: 'finished' };
      if (nowMs < due.getTime()) return { action: 'wait', until: due };
      return nowMs < t ? { action: 'send_reminder' } : { action: 'skip', reason: 'late' };
    case 'feedback':
      if (state !== 'ended' && plansNoJobs(state)) return { action: 'skip', reason: 'finished' };
      if (nowMs < due.getTime()) return { action: 'wait', until: due };
      if (nowMs >= t + FEEDBACK_GIVE_UP_MINUTES * MINUTE_MS) return { action: 'skip', reason: 'late' };
      if (state === 'ended') return { action: 'send_feedback' };
      return { action: 'wait', until: new Date(nowMs + FEEDBACK_RETRY_MINUTES * MINUTE_MS) };
  }
}
