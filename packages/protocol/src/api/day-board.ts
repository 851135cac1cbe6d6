import { z } from 'zod';
import { RoomPhase } from '../health.ts';
import { ConsultationState } from '../lifecycle.ts';
import { Instant, LocalDate, Uuid } from './common.ts';
import { ClientAnswerKind } from './client-answers.ts';
import { ConsultationForm, ConsultationKind } from './consultations.ts';

// The head's day board (and the specialist's own day): today's consultations across
// specialists with their pre-check and room, and the families to phone — those whom an
// e-mail about a change or a reminder did not reach.

export const DayBoardQuery = z.object({
  /** Default: today in the institution's zone. */
  date: LocalDate.optional(),
});
export type DayBoardQuery = z.infer<typeof DayBoardQuery>;

export const DayBoardRow = z.object({
  id: Uuid,
  start: Instant,
  end: Instant,
  kind: ConsultationKind,
  /** Online, by telephone or by e-mail (no room, no pre-check for the last two). */
  form: ConsultationForm,
  state: ConsultationState,
  /**
   * By telephone: the number to call (the registry client's phone, else the request's contact),
   * for its specialists and the head only; null otherwise.
   */
  clientPhone: z.string().nullable(),
  specialists: z.array(z.object({ id: Uuid, displayName: z.string() })),
  /** The clients' names as booked (null: anonymous); the number of attendees for a webinar. */
  clients: z.array(z.string().nullable()),
  /** The latest equipment pre-check: passed, failed, or none yet. */
  precheck: z.enum(['passed', 'failed']).nullable(),
  /** The open room on this server, as the health monitor last saw it (null: no room open). */
  room: z
    .object({
      phase: RoomPhase,
      /** Clients in the room now. */
      clientsIn: z.number().int().min(0),
      /** The room's current alerts (loss, rtt, ice_disconnected, time_limit …). */
      alerts: z.array(z.string()),
    })
    .nullable(),
});
export type DayBoardRow = z.infer<typeof DayBoardRow>;

export const FamilyToCall = z.object({
  consultationId: Uuid,
  start: Instant,
  state: ConsultationState,
  clientName: z.string().nullable(),
  /** The phone (or other contact) the request left; null when none is known. */
  contact: z.string().nullable(),
  /** What they were not told by e-mail. */
  about: z.enum(['invitation', 'reminder', 'rescheduled', 'cancelled', 'feedback', 'technical_failure']),
  /** skipped: no e-mail address; failed: the mail server refused it. */
  status: z.enum(['skipped', 'failed']),
  at: Instant,
});
export type FamilyToCall = z.infer<typeof FamilyToCall>;

/** A client's «не смогу прийти» / «нужно другое время» from the link page: phone them back. */
export const DayAnswer = z.object({
  consultationId: Uuid,
  start: Instant,
  state: ConsultationState,
  clientName: z.string().nullable(),
  contact: z.string().nullable(),
  kind: ClientAnswerKind,
  /** The client's own words, if any. */
  note: z.string().nullable(),
  at: Instant,
});
export type DayAnswer = z.infer<typeof DayAnswer>;

export const DayBoard = z
  .object({
    date: LocalDate,
    timeZone: z.string(),
    consultations: z.array(DayBoardRow),
    toCall: z.array(FamilyToCall),
    /** Clients' answers about this day's consultations, or given on this day. */
    answers: z.array(DayAnswer),
  })
  .meta({ id: 'DayBoard' });
export type DayBoard = z.infer<typeof DayBoard>;
